using System.Diagnostics;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>Open-loop pacing: message k is due at start + k / rate, whatever happened to the ones before.</summary>
internal sealed class Pacer(double ratePerSecond)
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public async ValueTask WaitForAsync(long index, CancellationToken cancellationToken)
    {
        var due = _start + (long)(index / ratePerSecond * Stopwatch.Frequency);
        var wait = due - Stopwatch.GetTimestamp();
        if (wait > Stopwatch.Frequency / 1000)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
        }
    }
}
