namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>
/// One fault of a scenario. <see cref="InjectAsync"/> causes it and returns once it is over from the fault's side (a
/// kill sent; a server stopped, held down, started again). <see cref="IsRecoveredAsync"/> says when the system is
/// whole again from the infrastructure's side (the killed resource back and healthy, say); the scenario adds the
/// clients' side (every subscriber connected and caught up, every channel acknowledging again).
/// <see cref="AfterRecoveryAsync"/> checks what the fault needs beyond the audit, while the subscribers are still there.
/// </summary>
public sealed record Fault(string Name, Func<FaultContext, Task> InjectAsync)
{
    public Func<FaultContext, Task<bool>> IsRecoveredAsync { get; init; } = _ => Task.FromResult(true);

    public Func<FaultContext, Task>? AfterRecoveryAsync { get; init; }

    /// <summary>How long the fault itself lasts (an outage held for 30 s): the load is held at least that long and a margin.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.Zero;

    /// <summary>From the end of <see cref="InjectAsync"/> until the system must be whole again.</summary>
    public TimeSpan RecoveryBound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Where in the load the fault comes: after this share of its duration.</summary>
    public double At { get; init; } = 0.3;
}
