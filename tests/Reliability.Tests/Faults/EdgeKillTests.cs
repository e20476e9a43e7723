using RealtimeAspire.Reliability.Tests.Scenario;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Faults;

/// <summary>kill -9 of the edge (Edge.Proxy): every client loses its connection at once and comes back through the restarted edge.</summary>
[Collection(nameof(ReliabilityCollection))]
public sealed class EdgeKillTests(ReliabilityTopology topology, ITestOutputHelper output)
{
    [Fact]
    public async Task KillingTheEdgeLosesNoAcknowledgedMessageAndEveryClientComesBackThroughIt() =>
        await new FaultScenario(topology, output).RunAsync(KillFault.Of("kill -9 edge", "edge"));
}
