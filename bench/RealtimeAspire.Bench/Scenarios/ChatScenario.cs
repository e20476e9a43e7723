using System.Diagnostics;
using RealtimeAspire.Bench.Clients;
using RealtimeAspire.Bench.Metrics;
using RealtimeAspire.Bench.Reporting;
using RealtimeAspire.Bench.Topology;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// R rooms × M members (one connection each, subscribed to its room); an aggregate R msg/s, message k going to room
/// k mod R from one of its members in turn. Delivery latency over every member (the sender included), and
/// publish → ack latency (the product acks after Kafka).
/// </summary>
internal static class ChatScenario
{
    public static Task<(IReadOnlyList<object>, IReadOnlyList<Comparison>)> RunAsync(BenchContext context, CancellationToken cancellationToken) =>
        DeliveryComparisons.RunRoundsAsync(context, RunOnceAsync, cancellationToken);

    private static async Task<DeliveryRun> RunOnceAsync(BenchContext context, Target target, CancellationToken cancellationToken)
    {
        var o = context.Options;
        var rooms = o.Rooms;
        var members = o.Members;
        var total = rooms * members;
        var count = (long)Math.Ceiling(o.Rate * o.Duration);
        var perRoom = (int)((count + rooms - 1) / rooms);
        // Rooms of their own in every round: a round's priming publishes are then first publishes of new channels
        // (issue #16's target 1), not the second round's publishes to channels whose counters exist.
        var roundTag = Guid.NewGuid().ToString("N")[..6];
        var channels = Enumerable.Range(0, rooms).Select(r => target.Channel("chat", $"bench-{context.RunId}-{target.Tag}{roundTag}-{r}")).ToArray();
        Console.WriteLine($"[{target.Name}] {rooms} rooms × {members} members, {o.Rate} msg/s for {o.Duration} s, {o.Size} B");

        string[]? tokens = null;
        if (target.IsProduct)
        {
            tokens = await context.Tokens.IssueManyAsync([.. Enumerable.Range(0, total).Select(i => $"bench-chat-{context.RunId}-{i}")], cancellationToken);
        }
        var recorder = new DeliveryRecorder(count);
        var ledgers = Enumerable.Range(0, total).Select(_ => new DeliveryLedger(perRoom)).ToArray();
        // Socket i is member i / rooms of room i % rooms: each room's members spread over the replicas.
        await using var fleet = await SocketFleet.OpenAsync(total, o.ConnectConcurrency, async (i, ct) =>
        {
            var room = i % rooms;
            var socket = await BenchSocket.ConnectAsync(target.WebSocketUri(i, channels[room]), tokens?[i], recorder.OnFrame, ledgers[i], ct, target.Kind == TargetKind.SignalR);
            if (target.IsProduct)
            {
                await FanoutScenario.SubscribeAsync(socket, channels[room], ct);
            }
            return socket;
        }, cancellationToken);
        Console.WriteLine($"[{target.Name}] {fleet.Opened} connected in {fleet.ConnectSeconds:0.0} s ({fleet.ConnectsPerSecond:0}/s)");
        LatencySummary? firstPublish = null;
        if (target.IsProduct)
        {
            var senders = Enumerable.Range(0, rooms).Where(r => fleet.Sockets[r] is not null).Select(r => (fleet.Sockets[r]!, channels[r])).ToArray();
            firstPublish = await ChannelPrimer.PrimeAsync(senders, o.Size, cancellationToken);
        }
        await Task.Delay(1000, cancellationToken);

        var edgeCpu = EdgeCpuSample.Start(target, recorder);
        var pacer = new Pacer(o.Rate);
        var clock = Stopwatch.StartNew();
        long published = 0;
        for (long k = 0; k < count; k++)
        {
            await pacer.WaitForAsync(k, cancellationToken);
            var room = (int)(k % rooms);
            var roomSeq = (k / rooms) + 1;
            var member = (int)((k / rooms) % members);
            if (fleet.Sockets[room + (member * rooms)] is not { } sender)
            {
                continue;
            }
            var id = k + 1;
            var sentAt = Stopwatch.GetTimestamp();
            recorder.Published(id, sentAt);
            await sender.SendAsync(FanoutScenario.Frame(target, channels[room], id, roomSeq, sentAt, o.Size), cancellationToken);
            published++;
        }
        var publishSeconds = clock.Elapsed.TotalSeconds;
        await recorder.WaitForDeliveriesAsync(count * members, TimeSpan.FromSeconds(o.DrainSeconds), cancellationToken);
        var edgeMicrosPerFrame = edgeCpu?.MicrosPerFrame(recorder, published);

        var expectations = Enumerable.Range(0, total)
            .Where(i => fleet.Sockets[i] is not null)
            .Select(i => (ledgers[i], PublishedTo(i % rooms, count, rooms)));
        var run = new DeliveryRun(target.Name, fleet.Opened, fleet.Failed, Math.Round(fleet.ConnectsPerSecond, 1), published, Math.Round(publishSeconds, 2),
            LatencySummary.From(recorder.Latency),
            Math.Round(recorder.Delivered / Math.Max(recorder.DeliverySeconds, 1e-3), 0),
            DeliveryTotals.From(expectations),
            target.IsProduct ? LatencySummary.From(recorder.PublishAck) : null,
            edgeMicrosPerFrame,
            firstPublish);
        FanoutScenario.Print(run);
        return run;
    }

    /// <summary>How many of <paramref name="count"/> messages, dealt round-robin over the rooms, went to room r.</summary>
    internal static long PublishedTo(int room, long count, int rooms) => (count / rooms) + (room < count % rooms ? 1 : 0);
}
