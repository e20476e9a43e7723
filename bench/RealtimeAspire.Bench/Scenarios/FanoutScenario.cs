using System.Diagnostics;
using RealtimeAspire.Bench.Clients;
using RealtimeAspire.Bench.Metrics;
using RealtimeAspire.Bench.Reporting;
using RealtimeAspire.Bench.Topology;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// N subscribers of one channel spread over the replicas (or through the edge), one publisher at R msg/s for T s.
/// Latency is publisher send → subscriber receipt (both timestamps from this process's Stopwatch).
/// </summary>
internal static class FanoutScenario
{
    private const int WarmupMessages = 20;

    public static Task<(IReadOnlyList<object>, IReadOnlyList<Comparison>)> RunAsync(BenchContext context, CancellationToken cancellationToken) =>
        DeliveryComparisons.RunRoundsAsync(context, RunOnceAsync, cancellationToken);

    private static async Task<DeliveryRun> RunOnceAsync(BenchContext context, Target target, CancellationToken cancellationToken)
    {
        var o = context.Options;
        var count = (long)Math.Ceiling(o.Rate * o.Duration);
        var channel = target.Channel(o.Namespace, $"bench-fanout-{context.RunId}-{target.Tag}");
        Console.WriteLine($"[{target.Name}] {o.Subscribers} subscribers on {channel}, {o.Rate} msg/s for {o.Duration} s, {o.Size} B");

        string[]? tokens = null;
        if (target.IsProduct)
        {
            var users = Enumerable.Range(0, o.Subscribers + 1).Select(i => $"bench-{context.RunId}-{i}").ToArray();
            tokens = await context.Tokens.IssueManyAsync(users, cancellationToken);
        }
        var recorder = new DeliveryRecorder(count + WarmupMessages);
        var ledgers = Enumerable.Range(0, o.Subscribers).Select(_ => new DeliveryLedger((int)count)).ToArray();
        await using var fleet = await SocketFleet.OpenAsync(o.Subscribers, o.ConnectConcurrency, async (i, ct) =>
        {
            var socket = await BenchSocket.ConnectAsync(target.WebSocketUri(i, channel), tokens?[i], recorder.OnFrame, ledgers[i], ct, target.Kind == TargetKind.SignalR);
            if (target.IsProduct)
            {
                await SubscribeAsync(socket, channel, ct);
            }
            return socket;
        }, cancellationToken);
        Console.WriteLine($"[{target.Name}] {fleet.Opened} connected in {fleet.ConnectSeconds:0.0} s ({fleet.ConnectsPerSecond:0}/s)");

        await using var publisher = await BenchSocket.ConnectAsync(target.WebSocketUri(o.Subscribers), tokens?[o.Subscribers], recorder.OnFrame, null, cancellationToken, target.Kind == TargetKind.SignalR);
        LatencySummary? firstPublish = null;
        if (target.IsProduct)
        {
            firstPublish = await ChannelPrimer.PrimeAsync([(publisher, channel)], o.Size, cancellationToken);
        }
        // Warm-up (sequence 0, not recorded): JIT and Redis subscriptions on both sides settle first.
        for (var i = 0; i < WarmupMessages; i++)
        {
            await publisher.SendAsync(Frame(target, channel, i + 1, 0, Stopwatch.GetTimestamp(), o.Size), cancellationToken);
            await Task.Delay(50, cancellationToken);
        }
        await Task.Delay(1000, cancellationToken);

        var edgeCpu = EdgeCpuSample.Start(target, recorder);
        var pacer = new Pacer(o.Rate);
        var clock = Stopwatch.StartNew();
        for (long seq = 1; seq <= count; seq++)
        {
            await pacer.WaitForAsync(seq - 1, cancellationToken);
            var id = WarmupMessages + seq;
            var sentAt = Stopwatch.GetTimestamp();
            recorder.Published(id, sentAt);
            await publisher.SendAsync(Frame(target, channel, id, seq, sentAt, o.Size), cancellationToken);
        }
        var publishSeconds = clock.Elapsed.TotalSeconds;
        await recorder.WaitForDeliveriesAsync(count * fleet.Opened, TimeSpan.FromSeconds(o.DrainSeconds), cancellationToken);
        var edgeMicrosPerFrame = edgeCpu?.MicrosPerFrame(recorder, count);

        var run = new DeliveryRun(target.Name, fleet.Opened, fleet.Failed, Math.Round(fleet.ConnectsPerSecond, 1), count, Math.Round(publishSeconds, 2),
            LatencySummary.From(recorder.Latency),
            Math.Round(recorder.Delivered / Math.Max(recorder.DeliverySeconds, 1e-3), 0),
            DeliveryTotals.From(ledgers.Where((_, i) => fleet.Sockets[i] is not null), count),
            target.IsProduct ? LatencySummary.From(recorder.PublishAck) : null,
            edgeMicrosPerFrame,
            firstPublish);
        Print(run);
        return run;
    }

    internal static async Task SubscribeAsync(BenchSocket socket, string channel, CancellationToken cancellationToken)
    {
        var id = socket.NextId() + 1_000_000_000;
        var reply = await socket.RequestAsync(id, Payloads.Subscribe(id, channel), TimeSpan.FromSeconds(30), cancellationToken);
        if (reply.Type != FrameType.Ack)
        {
            throw new InvalidOperationException($"subscribe to {channel} refused");
        }
    }

    internal static byte[] Frame(Target target, string channel, long id, long seq, long sentAt, int size) => target.Kind switch
    {
        TargetKind.Product => Payloads.ProductPublish(id, channel, seq, sentAt, size),
        TargetKind.SignalR => Payloads.SignalRPublish(channel, seq, sentAt, size),
        _ => Payloads.ReferencePublish(channel, seq, sentAt, size),
    };

    internal static void Print(DeliveryRun run)
    {
        var table = new ConsoleTable("target", "conns", "published", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "deliveries/s", "lost", "dup", "ack p99 ms", "proxy CPU µs/frame");
        table.Add(run.Target, run.Connections, run.Published, run.Latency.P50Ms, run.Latency.P90Ms, run.Latency.P99Ms, run.Latency.P999Ms,
            run.Latency.MaxMs, run.DeliveriesPerSecond, run.Deliveries.Lost, run.Deliveries.Duplicates, run.PublishAck?.P99Ms, run.EdgeCpuMicrosPerFrame);
        Console.WriteLine(table);
    }
}
