using System.Diagnostics;
using RealtimeAspire.Bench.Clients;
using RealtimeAspire.Bench.Metrics;
using RealtimeAspire.Bench.Reporting;
using RealtimeAspire.Bench.Topology;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// N members (one user and one WebSocket each, over the replicas or through the edge) join one fresh <c>chat:</c>
/// channel in a storm of <c>--concurrency</c> subscribes in flight; every member that has joined receives the presence
/// frames of the later joins (with names, O(N²) bytes). Then, with <c>--leave on</c>, all close in a storm of graceful
/// closes. Counted per phase: presence frames and their payload bytes, in total, per change and per member, named vs
/// summary; checked: the presence API's count is N after the joins and 0 after the leaves, or the run fails.
/// Only the product: no reference server has presence.
/// </summary>
internal static class PresenceScenario
{
    private static readonly TimeSpan ApiInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(30);

    public static async Task<(IReadOnlyList<object>, IReadOnlyList<Comparison>)> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var o = context.Options;
        Console.WriteLine("presence: the product only. Neither reference server (raw Kestrel, SignalR) has presence, so nothing is compared.");
        var target = context.Product();
        var users = Enumerable.Range(0, o.Members).Select(i => $"bench-presence-{context.RunId}-{i}").ToArray();
        var tokens = await context.Tokens.IssueManyAsync(users, cancellationToken);
        var api = new PresenceApiClient(context.Http, context.PresenceEndpoint(), tokens[0]);
        Console.WriteLine($"[{target.Name}] presence API at {api.Service}");
        var runs = new List<PresenceRun>();
        for (var round = 1; round <= o.Rounds; round++)
        {
            if (o.Rounds > 1)
            {
                Console.WriteLine($"round {round} of {o.Rounds}");
            }
            runs.Add(await RunOnceAsync(context, target, api, tokens, round, cancellationToken));
        }
        if (runs.Count > 1)
        {
            var table = new ConsoleTable($"median of {runs.Count} rounds", "value");
            foreach (var (metric, value) in Medians(runs))
            {
                table.Add(metric, value);
            }
            Console.WriteLine(table);
        }
        return (runs, []);
    }

    /// <summary>The figures the lead's tables use, each the median over the rounds.</summary>
    public static IReadOnlyDictionary<string, double> Medians(IReadOnlyList<PresenceRun> runs)
    {
        var medians = new Dictionary<string, double>(StringComparer.Ordinal);
        // A figure some round lacks (a count never reached) has no median.
        void Add<T>(string metric, IReadOnlyList<T> items, Func<T, double?> figure)
        {
            if (items.Count > 0 && items.All(i => figure(i) is not null))
            {
                medians[metric] = DeliveryComparisons.Median(items, i => figure(i)!.Value);
            }
        }
        foreach (var (name, phases) in new[] { ("join", runs.Select(r => r.Join).ToArray()), ("leave", runs.Select(r => r.Leave).OfType<PresencePhase>().ToArray()) })
        {
            Add($"{name} storm s", phases, p => p.StormSeconds);
            Add($"{name} count seen s", phases, p => p.CountReachedSeconds);
            Add($"{name} api s", phases, p => p.ApiSeconds);
            Add($"{name} last frame s", phases, p => p.LastFrameSeconds);
            Add($"{name} frames", phases, p => p.Presence.Frames);
            Add($"{name} bytes", phases, p => p.Presence.Bytes);
            Add($"{name} frames per {name}", phases, p => p.Presence.FramesPerChange);
            Add($"{name} bytes per {name}", phases, p => p.Presence.BytesPerChange);
            Add($"{name} mean bytes per member", phases, p => p.Presence.MeanBytesPerMember);
            Add($"{name} max bytes per member", phases, p => p.Presence.MaxBytesPerMember);
        }
        return medians;
    }

    private static async Task<PresenceRun> RunOnceAsync(BenchContext context, Target target, PresenceApiClient api, string[] tokens, int round, CancellationToken cancellationToken)
    {
        var o = context.Options;
        var channel = target.Channel("chat", $"bench-presence-{context.RunId}-{round}");
        var recorder = new PresenceRecorder(o.Members);
        // Connected first, subscribed later: the join storm is subscribes only, not the connects' TLS-free handshakes.
        await using var fleet = await SocketFleet.OpenAsync(o.Members, o.ConnectConcurrency,
            (i, ct) => BenchSocket.ConnectAsync(target.WebSocketUri(i), tokens[i], recorder.OnFrame, i, ct), cancellationToken);
        Console.WriteLine($"[{target.Name}] {fleet.Opened} members connected in {fleet.ConnectSeconds:0.0} s ({fleet.ConnectsPerSecond:0}/s); " +
            $"join storm into {channel}, {o.Concurrency} subscribes in flight");
        var opened = fleet.Sockets.Select(s => s is not null).ToArray();
        var join = await StormAsync(context, "join", recorder, api, channel, fleet, opened, fleet.Opened,
            (socket, _, ct) => FanoutScenario.SubscribeAsync(socket, channel, ct), cancellationToken);
        PresencePhase? leave = null;
        if (o.Leave)
        {
            Console.WriteLine($"[{target.Name}] leave storm: every member closes, {o.Concurrency} closes in flight");
            leave = await StormAsync(context, "leave", recorder, api, channel, fleet, opened, 0, async (socket, i, ct) =>
            {
                try
                {
                    await socket.CloseAsync(CloseTimeout, ct);
                }
                finally
                {
                    fleet.Sockets[i] = null;
                    await socket.DisposeAsync();
                }
            }, cancellationToken);
        }
        var run = new PresenceRun(target.Name, channel, o.Members, fleet.Opened, fleet.Failed, Math.Round(fleet.ConnectsPerSecond, 1), o.Concurrency, join, leave);
        Print(run);
        return run;
    }

    /// <summary>
    /// One phase: <paramref name="change"/> for every open member, <c>--concurrency</c> at once, while the presence API
    /// is asked until it counts <paramref name="expected"/>; then waits until no presence frame came for <c>--quiet</c>.
    /// </summary>
    private static async Task<PresencePhase> StormAsync(BenchContext context, string phase, PresenceRecorder recorder, PresenceApiClient api, string channel,
        SocketFleet fleet, bool[] opened, long expected, Func<BenchSocket, int, CancellationToken, Task> change, CancellationToken cancellationToken)
    {
        var o = context.Options;
        recorder.Start(phase == "join" ? expected : null);
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(o.SettleTimeoutSeconds * Stopwatch.Frequency);
        var watch = api.WatchAsync(channel, expected, ApiInterval, deadline, cancellationToken);
        var changed = 0;
        var failed = 0;
        string? firstError = null;
        await Parallel.ForAsync(0, fleet.Sockets.Length, new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            if (fleet.Sockets[i] is not { } socket)
            {
                return;
            }
            try
            {
                await change(socket, i, ct);
                Interlocked.Increment(ref changed);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, ex.GetBaseException().Message, null);
            }
        });
        var stormEnded = Stopwatch.GetTimestamp();
        var (apiAt, _) = await watch;
        var quiet = TimeSpan.FromSeconds(o.QuietSeconds);
        while (Stopwatch.GetTimestamp() < deadline && Stopwatch.GetElapsedTime(Math.Max(recorder.LastFrameAt, stormEnded)) < quiet)
        {
            await Task.Delay(ApiInterval, cancellationToken);
        }
        // Read again after the quiet period: the count must have stayed where it arrived.
        var apiCount = await api.CountAsync(channel, cancellationToken);
        string? failure = null;
        if (failed > 0)
        {
            failure = $"{failed} {phase}s failed; first error: {firstError}";
        }
        else if (apiAt == 0 || apiCount != expected)
        {
            failure = $"after the {phase} storm the presence API counts {apiCount} members of {channel}, expected {expected}" +
                (apiAt == 0 ? $" (not reached within --settle-timeout {o.SettleTimeoutSeconds} s)" : " (it had been reached, then changed)");
        }
        var (max, min) = recorder.Counts;
        return new PresencePhase(phase, changed,
            Math.Round(Stopwatch.GetElapsedTime(started, stormEnded).TotalSeconds, 3),
            recorder.CountReachedSeconds,
            recorder.SecondsSinceStart(apiAt),
            recorder.SecondsSinceStart(recorder.LastFrameAt),
            expected, apiCount, max, min,
            recorder.Totals(opened, changed),
            failure);
    }

    internal static void Print(PresenceRun run)
    {
        var table = new ConsoleTable("phase", "changes", "storm s", "count seen s", "API s", "last frame s", "frames", "named", "summaries",
            "MB", "frames/change", "bytes/change", "frames/member", "max frames/member", "KB/member", "max KB/member", "API count");
        foreach (var p in new[] { run.Join, run.Leave }.OfType<PresencePhase>())
        {
            var t = p.Presence;
            table.Add(p.Phase, p.Changes, p.StormSeconds, p.CountReachedSeconds, p.ApiSeconds, p.LastFrameSeconds, t.Frames, t.NamedFrames, t.SummaryFrames,
                Math.Round(t.Bytes / 1e6, 2), t.FramesPerChange, t.BytesPerChange, t.MeanFramesPerMember, t.MaxFramesPerMember,
                Math.Round(t.MeanBytesPerMember / 1024, 2), Math.Round(t.MaxBytesPerMember / 1024.0, 2), $"{p.ApiCount} (expected {p.ExpectedCount})");
        }
        Console.WriteLine(table);
        if (run.Failure is { } failure)
        {
            Console.WriteLine($"FAILED: {failure}");
        }
    }
}
