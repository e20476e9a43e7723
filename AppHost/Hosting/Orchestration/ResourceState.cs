namespace RealtimeAspire.Hosting.Orchestration;

public enum ResourceState
{
    /// <summary>Waiting for the resources it waits for to become healthy.</summary>
    Waiting,
    Starting,
    Running,
    /// <summary>The process ended on its own; a restart follows after a backoff.</summary>
    Exited,
    /// <summary>Start failed (binary missing, preparation failed); retried after a backoff.</summary>
    FailedToStart,
    Stopping,
    /// <summary>Stopped on request; stays down until started.</summary>
    Stopped,
}

public enum HealthState
{
    Unknown,
    Healthy,
    Unhealthy,
}
