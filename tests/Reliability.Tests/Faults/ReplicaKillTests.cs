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
        string? victim = null;
        (int Restarts, int? Pid) before = default;
        await new FaultScenario(topology, output).RunAsync(new Fault("kill -9 replica", context =>
        {
            // The busiest replica: its subscribers (and maybe publishers) must move and resume.
            victim = context.Subscribers.GroupBy(s => s.Client.State.Replica).Where(g => g.Key is not null)
                .OrderByDescending(g => g.Count()).First().Key!;
            before = context.Before(victim);
            var moved = context.Subscribers.Count(s => s.Client.State.Replica == victim);
            var pid = context.Topology.Kill(victim);
            context.Note($"killed {victim} (pid {pid}) holding {moved} of {context.Subscribers.Count} subscribers");
            return Task.CompletedTask;
        })
        {
            IsRecoveredAsync = context => Task.FromResult(context.RestartedAndHealthy(victim!, before)),
        });
    }
}
