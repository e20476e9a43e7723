using System.Diagnostics;
using RealtimeAspire.Testing;

namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>What a fault acts on and reads while a scenario runs: the topology, the load, the subscribers and the scenario's clock.</summary>
public sealed class FaultContext(ReliabilityTopology topology, AcknowledgedLoad load, IReadOnlyList<Subscriber> subscribers, Stopwatch clock, Action<string> note)
{
    public ReliabilityTopology Reliability { get; } = topology;

    public TestTopology Topology => Reliability.Topology;

    public AcknowledgedLoad Load { get; } = load;

    public IReadOnlyList<Subscriber> Subscribers { get; } = subscribers;

    public Stopwatch Clock { get; } = clock;

    /// <summary>Adds a line under the scenario's report (what the fault observed: pids, lag, restarts).</summary>
    public void Note(string line) => note(line);

    /// <summary>A resource's restart count and pid before a kill, to wait for a new process after it.</summary>
    public (int Restarts, int? Pid) Before(string resource) =>
        Topology.Instance(resource) is var r ? (r.Restarts, r.ProcessId) : default;

    /// <summary>The resource was started again after a failure (a new process) and is healthy.</summary>
    public bool RestartedAndHealthy(string resource, (int Restarts, int? Pid) before) =>
        Topology.Instance(resource) is { } r && r.Restarts > before.Restarts && r.ProcessId is { } pid && pid != before.Pid && r.IsHealthy;
}
