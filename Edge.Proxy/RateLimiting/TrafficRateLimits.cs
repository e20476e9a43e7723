namespace RealtimeAspire.EdgeProxy.RateLimiting;

/// <summary>The three buckets one request of a traffic class must pass, in this order.</summary>
public sealed class TrafficRateLimits
{
    /// <summary>Per user: the JWT's <c>sub</c>, else the client's IP address.</summary>
    public TokenBucketRule PerUser { get; set; } = new();

    /// <summary>Per client IP address (IPv6 by /64).</summary>
    public TokenBucketRule PerIp { get; set; } = new();

    /// <summary>All clients together: what the replicas behind the edge can take in a reconnect storm.</summary>
    public TokenBucketRule Global { get; set; } = new();
}
