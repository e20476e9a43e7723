using RealtimeAspire.Bench.Topology;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// The proxy's CPU time at the start of the measured publishes, and the deliveries counted so far: at the end, CPU
/// µs per forwarded frame = CPU time used ÷ (publishes in + deliveries out).
/// </summary>
internal sealed record EdgeCpuSample(IReadOnlyList<int> Pids, double CpuSeconds, long Delivered)
{
    /// <summary>A sample when the target goes through a proxy, else null.</summary>
    public static EdgeCpuSample? Start(Target target, DeliveryRecorder recorder) =>
        target.EdgePids is { Count: > 0 } pids ? new EdgeCpuSample(pids, ProcessCpu.Seconds(pids), recorder.Delivered) : null;

    public double MicrosPerFrame(DeliveryRecorder recorder, long published)
    {
        var frames = recorder.Delivered - Delivered + published;
        return Math.Round((ProcessCpu.Seconds(Pids) - CpuSeconds) * 1e6 / Math.Max(frames, 1), 2);
    }
}
