using Aspire.Hosting.ApplicationModel;
using RealtimeAspire.Client;
using RealtimeAspire.Reliability.Tests.Scenario;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Faults;

/// <summary>
/// A rolling restart of every replica with Aspire's stop and start commands, one after the other: each stop drains
/// (clients are told <c>reconnect</c>, move to another replica and resume), ends with exit code 0 inside the stop's
/// wait (not killed), and the replica is started and routable again before the next one goes.
/// </summary>
[Collection(nameof(ReliabilityCollection))]
public sealed class RollingRestartTests(ReliabilityTopology topology, ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ARollingDrainRestartOfEveryReplicaLosesNothingAndEveryClientResumes()
    {
        var exitCodes = new List<(string Replica, int? ExitCode)>();
        List<string> notTold = [];
        await new FaultScenario(topology, output).RunAsync(new Fault("rolling drain-restart of 3 replicas", async context =>
        {
            foreach (var name in context.Reliability.ReplicaNames)
            {
                var replica = context.Topology.Instance(name);
                var started = context.Clock.Elapsed;
                var held = context.Subscribers.Count(s => s.Client.State.Replica == name);
                await replica.StopAsync();
                await context.Topology.WaitAsync(() => KnownResourceStates.TerminalStates.Contains(replica.State), s_timeout, $"{name} stopped", name);
                var exitCode = replica.Snapshot?.ExitCode;
                exitCodes.Add((name, exitCode));
                var stopped = context.Clock.Elapsed;
                await replica.StartAsync();
                await context.Reliability.RestoreAsync();
                context.Note($"{name}: held {held} subscribers, stopped (exit {exitCode?.ToString() ?? "?"}) in {(stopped - started).TotalSeconds:0.0} s, "
                    + $"back and routable {(context.Clock.Elapsed - stopped).TotalSeconds:0.0} s later");
            }
            var told = context.Subscribers.Where(s => s.States.Any(st => st.Status == RealtimeConnectionStatus.Reconnecting && st.Reason == "drain")).ToList();
            notTold = [.. context.Subscribers.Where(s => s.Transport != RealtimeTransport.LongPolling).Except(told).Select(s => s.Name)];
            context.Note($"{told.Count} of {context.Subscribers.Count} subscribers were told to reconnect (reason drain)");
        })
        {
            Duration = TimeSpan.FromSeconds(45),
            At = 0.1,
            IsRecoveredAsync = context => Task.FromResult(context.Topology.Workload.All(r => r.IsHealthy)),
        });
        // A drain that ends in SIGKILL cuts off its last closes and acks (issue #15, defect 5).
        // Every held connection (WebSocket, SSE) was on a replica that stopped: each must have heard the drain notice.
        // A long poll between two polls has nothing to be told: its next poll simply goes elsewhere.
        Assert.True(notTold.Count == 0, $"Not told to reconnect: {string.Join(", ", notTold)}");
        Assert.All(exitCodes, e => Assert.True(e.ExitCode == 0, $"{e.Replica} exited with {e.ExitCode?.ToString() ?? "nothing"}, not a clean drain."));
    }
}
