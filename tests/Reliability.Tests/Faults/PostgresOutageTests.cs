using Aspire.Hosting.ApplicationModel;
using RealtimeAspire.Reliability.Tests.Scenario;
using RealtimeAspire.Testing;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Faults;

/// <summary>
/// PostgreSQL stopped for 30 s under the load: publishes are still acknowledged (Kafka holds them), the persistence
/// lag grows while it is down, and drains once it is back; nothing acknowledged is lost or written twice.
/// </summary>
[Collection(nameof(ReliabilityCollection))]
public sealed class PostgresOutageTests(ReliabilityTopology topology, ITestOutputHelper output)
{
    private const string Postgres = "postgres";
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StoppingPostgresForThirtySecondsGrowsTheLagWhichDrainsWithNothingLost()
    {
        var ackedWhileDown = 0;
        await new FaultScenario(topology, output).RunAsync(new Fault("postgres stopped 30 s", async context =>
        {
            var postgres = context.Topology.Instance(Postgres);
            var prefix = Prefix(context);
            var persistedBefore = await context.Reliability.CountPersistedAsync(prefix) ?? -1;
            var ackedBefore = context.Load.Acks.Count;
            await postgres.StopAsync();
            var stoppedAt = context.Clock.Elapsed;
            await context.Topology.WaitAsync(() => KnownResourceStates.TerminalStates.Contains(postgres.State), s_timeout, "postgres stopped", Postgres);
            // The outage is the fault: held for its length while the load goes on, then ended.
            await Task.Delay(s_outage - (context.Clock.Elapsed - stoppedAt) is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
            ackedWhileDown = context.Load.Acks.Count - ackedBefore;
            await postgres.StartAsync();
            await context.Topology.WaitForResourceHealthyAsync(Postgres, s_timeout);
            context.Note($"postgres down {(context.Clock.Elapsed - stoppedAt).TotalSeconds:0.0} s: {persistedBefore} rows before, {ackedWhileDown} acknowledged while it was down (the lag it left)");
        })
        {
            Duration = s_outage,
            IsRecoveredAsync = async context =>
                context.Topology.Workload.All(r => r.IsHealthy)
                && await context.Reliability.CountPersistedAsync(Prefix(context)) is { } persisted
                && persisted >= context.Load.Acks.Count,
        });
        // The lag grew: acknowledgements went on while nothing could be written.
        Assert.True(ackedWhileDown > 0, "Nothing was acknowledged while PostgreSQL was down.");
    }

    private static string Prefix(FaultContext context) => context.Load.Channels[0][..context.Load.Channels[0].LastIndexOf('-')];
}
