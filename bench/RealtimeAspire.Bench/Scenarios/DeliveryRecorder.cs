using System.Diagnostics;
using RealtimeAspire.Bench.Clients;
using RealtimeAspire.Bench.Metrics;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// The frame handler of a delivery run: records latency (publisher's timestamp → receipt) and the subscriber's
/// ledger for every benchmark message, and publish → ack latency for acks of ids it was told about.
/// </summary>
internal sealed class DeliveryRecorder(long maxPublishId)
{
    private readonly long[] _publishSentAt = new long[maxPublishId + 1];
    private long _delivered;
    private long _firstDeliveryAt;
    private long _lastDeliveryAt;

    public LatencyHistogram Latency { get; } = new();

    public LatencyHistogram PublishAck { get; } = new();

    public long Delivered => Interlocked.Read(ref _delivered);

    public long ErrorFrames;

    public double DeliverySeconds =>
        (double)(Interlocked.Read(ref _lastDeliveryAt) - Interlocked.Read(ref _firstDeliveryAt)) / Stopwatch.Frequency;

    public void Published(long id, long sentAt)
    {
        if (id > 0 && id < _publishSentAt.Length)
        {
            Volatile.Write(ref _publishSentAt[id], sentAt);
        }
    }

    public void OnFrame(BenchSocket socket, in ServerFrame frame, long receivedAt)
    {
        switch (frame.Type)
        {
            case FrameType.Message when frame.BenchSequence > 0 && socket.State is DeliveryLedger ledger:
                Latency.Record(Payloads.Microseconds(frame.SentAt, receivedAt));
                ledger.Record(frame.BenchSequence); // only this socket's receive loop writes its ledger
                Interlocked.Increment(ref _delivered);
                Interlocked.CompareExchange(ref _firstDeliveryAt, receivedAt, 0);
                InterlockedMax(ref _lastDeliveryAt, receivedAt);
                break;
            case FrameType.Ack when frame.Id > 0 && frame.Id < _publishSentAt.Length:
                var sentAt = Volatile.Read(ref _publishSentAt[frame.Id]);
                if (sentAt != 0)
                {
                    PublishAck.Record(Payloads.Microseconds(sentAt, receivedAt));
                }
                break;
            case FrameType.Error:
                if (Interlocked.Increment(ref ErrorFrames) <= 3)
                {
                    Console.WriteLine($"  error frame (id {frame.Id})");
                }
                break;
        }
    }

    /// <summary>Waits until <paramref name="expected"/> deliveries arrived, or nothing new came for the drain time.</summary>
    public async Task WaitForDeliveriesAsync(long expected, TimeSpan drain, CancellationToken cancellationToken)
    {
        var last = Delivered;
        var quiet = Stopwatch.StartNew();
        while (Delivered < expected && quiet.Elapsed < drain)
        {
            await Task.Delay(50, cancellationToken);
            if (Delivered != last)
            {
                last = Delivered;
                quiet.Restart();
            }
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
