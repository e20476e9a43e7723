using System.Diagnostics;
using RealtimeAspire.Bench.Clients;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// Publishes one unmeasured message (benchmark sequence 0) to each channel and waits for its ack before a run:
/// a durable channel's first publish finds no sequence counter in Redis and asks Message.Service to recover it,
/// which waits for Kafka to be consumed (seconds). That is a once-per-channel cost, reported apart, not steady state.
/// </summary>
internal static class ChannelPrimer
{
    public static async Task<double> PrimeAsync(IReadOnlyList<(BenchSocket Socket, string Channel)> pairs, int size, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long slowest = 0;
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (pair, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            var id = pair.Socket.NextId() + 2_000_000_000;
            var reply = await pair.Socket.RequestAsync(id, Payloads.ProductPublish(id, pair.Channel, 0, started, size), TimeSpan.FromSeconds(60), ct);
            if (reply.Type != FrameType.Ack)
            {
                throw new InvalidOperationException($"priming publish to {pair.Channel} refused");
            }
            var took = Stopwatch.GetTimestamp() - started;
            long seen;
            while (took > (seen = Interlocked.Read(ref slowest)) && Interlocked.CompareExchange(ref slowest, took, seen) != seen)
            {
            }
        });
        var slowestMs = slowest * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine($"  primed {pairs.Count} channel(s) in {clock.Elapsed.TotalSeconds:0.0} s (slowest first publish → ack {slowestMs:0} ms)");
        return Math.Round(slowestMs, 1);
    }
}
