namespace RealtimeAspire.Bench.Scenarios;

/// <summary>One round of the presence scenario: N members on one fresh channel, a join storm, then a leave storm.</summary>
internal sealed record PresenceRun(
    string Target,
    string Channel,
    int Members,
    int Opened,
    int Failed,
    double ConnectsPerSecond,
    int Concurrency,
    PresencePhase Join,
    PresencePhase? Leave)
{
    /// <summary>Why the run is not valid (a member missing, the presence API's count wrong); null when it is.</summary>
    public string? Failure =>
        Failed > 0 ? $"{Failed} of {Members} members could not connect"
        : Join.Failure ?? Leave?.Failure;
}
