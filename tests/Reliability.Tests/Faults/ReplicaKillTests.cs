using RealtimeAspire.Reliability.Tests.Scenario;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Faults;

/// <summary>kill -9 of the Connection.Service replica that holds the most subscribers, in the middle of the load.</summary>
[Collection(nameof(ReliabilityCollection))]
public sealed class ReplicaKillTests(ReliabilityTopology topology, ITestOutputHelper output)
{
    [Fact]
    public async Task KillingAReplicaLosesNoAcknowledgedMessageAndEverySubscriberResumesOnAnother()
    {
        // The busiest replica: its subscribers (and maybe publishers) must move and resume.
        await new FaultScenario(topology, output).RunAsync(KillFault.Of("kill -9 replica", context =>
            context.Subscribers.GroupBy(s => s.Client.State.Replica).Where(g => g.Key is not null).OrderByDescending(g => g.Count()).First().Key!));
    }
}
