using System.Diagnostics;
using RealtimeAspire.Bench.Clients;
using RealtimeAspire.Bench.Metrics;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// Publishes one unmeasured message (benchmark sequence 0) to each channel and waits for its ack before a run:
/// a durable channel's first publish finds no sequence counter in Redis and claims the channel from Message.Service
/// (docs/message-service.md, "Counter start"). That once-per-channel cost is reported apart from the steady state, as
/// the first publish → ack latency over every primed channel (issue #16's target 1; a chat run primes each room).
/// </summary>
internal static class ChannelPrimer
{
    public static async Task<LatencySummary> PrimeAsync(IReadOnlyList<(BenchSocket Socket, string Channel)> pairs, int size, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var firstPublish = new LatencyHistogram();
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (pair, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            var id = pair.Socket.NextId() + 2_000_000_000;
            var reply = await pair.Socket.RequestAsync(id, Payloads.ProductPublish(id, pair.Channel, 0, started, size), TimeSpan.FromSeconds(60), ct);
            if (reply.Type != FrameType.Ack)
            {
                throw new InvalidOperationException($"priming publish to {pair.Channel} refused");
            }
            firstPublish.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        });
        var summary = LatencySummary.From(firstPublish);
        Console.WriteLine($"  primed {pairs.Count} channel(s) in {clock.Elapsed.TotalSeconds:0.0} s (first publish → ack p50 {summary.P50Ms:0.0} ms, p99 {summary.P99Ms:0.0} ms, max {summary.MaxMs:0.0} ms)");
        return summary;
    }
}
