using System.Diagnostics;
using RealtimeAspire.Client;
using RealtimeAspire.Testing;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>
/// A fault scenario on a running topology: subscribers on all three transports, a bounded acknowledged load
/// through the edge, one fault in the middle of it, recovery, then the audit and the report line; the topology is
/// left whole for the next scenario.
/// </summary>
public sealed class FaultScenario(ReliabilityTopology topology, ITestOutputHelper output)
{
    public const int Channels = 4;
    public const double RatePerChannel = 10;
    public static readonly RealtimeTransport[] Transports = [RealtimeTransport.WebSocket, RealtimeTransport.ServerSentEvents, RealtimeTransport.LongPolling];
    private static readonly TimeSpan s_settleTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs the scenario and asserts lost = 0, dup = 0, every subscriber complete and in order, recovery within the fault's bound.</summary>
    public async Task<ScenarioReport> RunAsync(Fault fault)
    {
        var report = await MeasureAsync(fault);
        Assert.True(report.Audit.Lost == 0, $"{report.Audit.Lost} acknowledged messages lost.\n{report.Details()}");
        Assert.True(report.Audit.Duplicates == 0, $"{report.Audit.Duplicates} duplicates.\n{report.Details()}");
        Assert.True(report.Audit.Holes.Count == 0, $"Persisted seqs not contiguous.\n{report.Details()}");
        Assert.True(report.Audit.Missed == 0 && report.Audit.OutOfOrder == 0, $"Subscribers missed {report.Audit.Missed} and got {report.Audit.OutOfOrder} out of order.\n{report.Details()}");
        Assert.All(report.Audit.Subscribers, s => Assert.True(s.Ended is null, $"{s.Name} ended: {s.Ended}"));
        Assert.True(report.Audit.Acked > 0, "Nothing was acknowledged.");
        Assert.True(report.Recovery <= fault.RecoveryBound, $"Recovery took {report.Recovery.TotalSeconds:0.0} s, bound {fault.RecoveryBound.TotalSeconds:0} s.\n{report.Details()}");
        return report;
    }

    /// <summary>Runs the scenario and returns its report without asserting (the report line is printed either way).</summary>
    public async Task<ScenarioReport> MeasureAsync(Fault fault)
    {
        await topology.RestoreAsync();
        var prefix = ReliabilityTopology.NewPrefix("rel");
        var channels = Enumerable.Range(0, Channels).Select(i => $"{prefix}{i}").ToList();
        var notes = new List<string>();
        var clock = new Stopwatch();
        using var counters = new ClientCounters();
        var subscribers = new List<Subscriber>();
        AcknowledgedLoad? load = null;
        try
        {
            subscribers.AddRange(await Task.WhenAll(channels.SelectMany((channel, c) => Transports.Select((transport, t) =>
                Subscriber.StartAsync(topology, channel, transport, $"sub-{prefix[5..^1]}-{c}-{t}")))).WaitAsync(TimeSpan.FromSeconds(90)));
            var duration = ScenarioSettings.LoadDurationAround(fault.Duration);
            load = await AcknowledgedLoad.ConnectAsync(topology, channels, RatePerChannel, duration, clock);
            var context = new FaultContext(topology, load, subscribers, clock, line => { lock (notes) { notes.Add(line); } });

            clock.Start();
            var running = load.RunAsync();
            var faultAt = duration * fault.At;
            await BoundedWait.UntilAsync(() => Task.FromResult(clock.Elapsed >= faultAt && load.EveryChannelAckedAfter(TimeSpan.Zero)),
                faultAt + s_settleTimeout, "the load acknowledged on every channel before the fault", describe: () => Task.FromResult(Describe(load, subscribers)));
            await fault.InjectAsync(context);
            var injected = clock.Elapsed;
            var recovered = await WaitForRecoveryAsync(fault, context, injected, notes);
            var recovery = recovered - injected;
            if (fault.AfterRecoveryAsync is { } after)
            {
                await after(context);
            }

            await running.WaitAsync(duration + AcknowledgedLoad.PublishTimeout + s_settleTimeout);
            var acks = load.Acks.ToList();
            var rows = await SettleAsync(acks, subscribers, notes);
            var audit = AuditResult.Of(acks, rows, subscribers);
            var outages = subscribers.Select(s => (s.Name, Outage: s.LongestOutage())).OrderByDescending(o => o.Outage).ToList();
            notes.Add($"longest subscriber reconnect {outages[0].Outage.TotalSeconds:0.0} s ({outages[0].Name}); {outages.Count(o => o.Outage > TimeSpan.Zero)} of {outages.Count} reconnected");
            var errors = subscribers.SelectMany(s => s.ChannelErrors.Select(e => $"{s.Name}: {e.Code}")).ToList();
            if (errors.Count > 0)
            {
                notes.Add("channel errors: " + string.Join("; ", errors.Take(10)));
            }
            var refusals = load.Refusals.GroupBy(r => r.Code).ToDictionary(g => g.Key, g => g.Count());
            var report = new ScenarioReport(fault.Name, load.Describe(), audit, recovery, refusals, counters.WireDuplicates, counters.GapFills, counters.Reconnects, notes);
            Print(report);
            return report;
        }
        finally
        {
            await Task.WhenAll(subscribers.Select(s => s.DisposeAsync().AsTask()));
            if (load is not null)
            {
                await load.DisposeAsync();
            }
            await topology.RestoreAsync();
        }
    }

    /// <summary>
    /// Until the fault says the infrastructure is whole, every subscriber is connected and has everything acknowledged
    /// before the fault ended, and every channel acknowledges publishes again (a probe per channel once the load is over).
    /// Returns the time on the scenario's clock; on timeout, the time it gave up (the assertion on the bound fails).
    /// </summary>
    private async Task<TimeSpan> WaitForRecoveryAsync(Fault fault, FaultContext context, TimeSpan injected, List<string> notes)
    {
        var load = context.Load;
        var targets = load.Acks.Where(a => a.At <= injected).GroupBy(a => a.Channel).ToDictionary(g => g.Key, g => g.Max(a => a.Seq));
        TimeSpan? infrastructure = null, subscribers = null, publishers = null;
        try
        {
            await BoundedWait.UntilAsync(async () =>
                {
                    // Each part's first time, for the report: which side took the time.
                    if (infrastructure is null && await fault.IsRecoveredAsync(context))
                    {
                        infrastructure = context.Clock.Elapsed;
                    }
                    if (subscribers is null && context.Subscribers.All(s => s.IsConnected && s.LastSeq >= targets.GetValueOrDefault(s.Channel)))
                    {
                        subscribers = context.Clock.Elapsed;
                    }
                    if (publishers is null && (load.EveryChannelAckedAfter(injected) || await ProbeAsync(load, injected)))
                    {
                        publishers = context.Clock.Elapsed;
                    }
                    return infrastructure is not null && subscribers is not null && publishers is not null
                        && context.Subscribers.All(s => s.IsConnected);
                },
                fault.RecoveryBound + TimeSpan.FromSeconds(30), $"recovery from {fault.Name}",
                describe: () => Task.FromResult(Describe(load, context.Subscribers) + "\n" + context.Topology.Describe()),
                pause: TimeSpan.FromMilliseconds(100));
            lock (notes)
            {
                notes.Add($"recovered after the fault: infrastructure {Since(infrastructure)}, subscribers caught up {Since(subscribers)}, publishes acknowledged {Since(publishers)}");
            }
        }
        catch (TimeoutException ex)
        {
            lock (notes)
            {
                notes.Add("not recovered: " + ex.Message);
            }
        }
        return context.Clock.Elapsed;

        string Since(TimeSpan? at) => at is { } t ? $"{Math.Max(0, (t - injected).TotalSeconds):0.0} s" : "never";
    }

    /// <summary>
    /// Waits (bounded) until PostgreSQL holds every acknowledged message with contiguous seqs and every subscriber has
    /// the last acknowledged seq of its channel, then reads the rows the audit checks. Gives up quietly: the audit says what is missing.
    /// </summary>
    private async Task<List<PersistedRow>> SettleAsync(List<Acked> acks, List<Subscriber> subscribers, List<string> notes)
    {
        var prefix = acks.Count == 0 ? null : acks[0].Channel[..acks[0].Channel.LastIndexOf('-')];
        if (prefix is null)
        {
            return [];
        }
        var last = acks.GroupBy(a => a.Channel).ToDictionary(g => g.Key, g => g.Max(a => a.Seq));
        var started = Stopwatch.StartNew();
        try
        {
            await BoundedWait.UntilAsync(async () =>
            {
                if (!subscribers.All(s => s.LastSeq >= last.GetValueOrDefault(s.Channel)))
                {
                    return false;
                }
                var rows = await topology.PersistedAsync(prefix);
                return AuditResult.FromAudits(acks, rows, []) is { Lost: 0, Holes.Count: 0 };
            }, s_settleTimeout, "every acknowledged message persisted and delivered",
                isTransient: ex => ex is Npgsql.NpgsqlException, pause: TimeSpan.FromMilliseconds(500));
        }
        catch (TimeoutException ex)
        {
            lock (notes)
            {
                notes.Add("not settled: " + ex.Message);
            }
        }
        lock (notes)
        {
            notes.Add($"settled {started.Elapsed.TotalSeconds:0.0} s after the load ended");
        }
        return await topology.PersistedAsync(prefix);
    }

    private static async Task<bool> ProbeAsync(AcknowledgedLoad load, TimeSpan injected)
    {
        await load.ProbeAsync(injected);
        return load.EveryChannelAckedAfter(injected);
    }

    private static string Describe(AcknowledgedLoad load, IReadOnlyList<Subscriber> subscribers) =>
        $"acked {load.Acks.Count}, refused {load.Refusals.Count}; " + string.Join("; ", subscribers.Select(s => $"{s.Name} {s.Client.State.Status} {s.Client.State.Replica} last {s.LastSeq}"));

    private void Print(ScenarioReport report)
    {
        var text = $"reliability: {ScenarioReport.Header}\nreliability: {report.Line}\n{report.Details()}";
        output.WriteLine(text);
        // Also on the console, so that `dotnet test` shows the line without a logger setting.
        Console.WriteLine(text);
    }
}
