using RealtimeAspire.Reliability.Tests.Scenario;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Faults;

/// <summary>kill -9 of the edge (Edge.Proxy): every client loses its connection at once and comes back through the restarted edge.</summary>
[Collection(nameof(ReliabilityCollection))]
public sealed class EdgeKillTests(ReliabilityTopology topology, ITestOutputHelper output)
{
    private const string Edge = "edge";

    [Fact]
    public async Task KillingTheEdgeLosesNoAcknowledgedMessageAndEveryClientComesBackThroughIt()
    {
        (int Restarts, int? Pid) before = default;
        await new FaultScenario(topology, output).RunAsync(new Fault("kill -9 edge", context =>
        {
            before = context.Before(Edge);
            var pid = context.Topology.Kill(Edge);
            context.Note($"killed the edge (pid {pid}) with {context.Subscribers.Count} subscribers and {context.Load.Channels.Count} publishers behind it");
            return Task.CompletedTask;
        })
        {
            IsRecoveredAsync = context => Task.FromResult(context.RestartedAndHealthy(Edge, before)),
        });
    }
}
