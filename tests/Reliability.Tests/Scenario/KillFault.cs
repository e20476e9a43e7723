namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>
/// SIGKILL of one resource's serving process (<see cref="Testing.TestTopology.Kill"/>), a crash: over when the
/// AppHost has started it again (<c>RestartOnFailure</c>) with a new process that is healthy.
/// </summary>
public static class KillFault
{
    /// <param name="name">The report's name of the fault.</param>
    /// <param name="pick">The resource to kill, chosen when the fault comes (the busiest replica, say).</param>
    /// <param name="beforeKill">What must hold just before the kill (so that a check after it proves something).</param>
    public static Fault Of(string name, Func<FaultContext, string> pick, Func<FaultContext, Task>? beforeKill = null)
    {
        string? victim = null;
        (int Restarts, int? Pid) before = default;
        return new Fault(name, async context =>
        {
            if (beforeKill is not null)
            {
                await beforeKill(context);
            }
            victim = pick(context);
            before = context.Before(victim);
            var held = context.Subscribers.Count(s => s.Client.State.Replica == victim);
            var pid = context.Topology.Kill(victim);
            context.Note($"killed {victim} (pid {pid}) at {context.Load.Acks.Count} acks" + (held > 0 ? $", holding {held} of {context.Subscribers.Count} subscribers" : ""));
        })
        {
            IsRecoveredAsync = context => Task.FromResult(victim is not null && context.RestartedAndHealthy(victim, before)),
        };
    }

    public static Fault Of(string name, string resource, Func<FaultContext, Task>? beforeKill = null) => Of(name, _ => resource, beforeKill);
}
