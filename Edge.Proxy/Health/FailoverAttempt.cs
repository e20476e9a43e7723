namespace RealtimeAspire.EdgeProxy.Health;

/// <summary>State of one forwarding attempt shared by <c>Routing/ConnectFailover</c>, the response transform and passive health.</summary>
public sealed class FailoverAttempt
{
    /// <summary>Another replica is left to try, so an unavailable answer may be swallowed and the request re-sent.</summary>
    public bool CanRetry { get; set; }

    /// <summary>The replica answered 503: draining or not ready. It takes no new connections.</summary>
    public bool ReplicaUnavailable { get; set; }
}
