namespace RealtimeAspire.EdgeProxy.Telemetry;

/// <summary>What became of a request's affinity key (the <c>result</c> tag of the affinity metric).</summary>
public enum AffinityOutcome
{
    /// <summary>No key: a first connection; the load balancer picks and the response carries a new key.</summary>
    New,

    /// <summary>The key's replica is available: routed there.</summary>
    Hit,

    /// <summary>The key is malformed, unknown or its replica is gone or draining: redistributed, a new key returned.</summary>
    Redistributed,
}
