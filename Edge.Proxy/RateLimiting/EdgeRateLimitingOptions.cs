namespace RealtimeAspire.EdgeProxy.RateLimiting;

/// <summary>Rate limits at the edge: <c>Edge:RateLimiting</c>. Validated by <see cref="EdgeRateLimitingOptionsValidator"/>.</summary>
public sealed class EdgeRateLimitingOptions
{
    public const string SectionName = "Edge:RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Requests that may wait for a permit, per bucket, before the rest are refused with 429. Zero sheds at once:
    /// a storm is never absorbed into an unbounded queue.
    /// </summary>
    public int QueueLimit { get; set; }

    public TrafficRateLimits Connect { get; set; } = new()
    {
        PerUser = new TokenBucketRule(permitsPerSecond: 10, burst: 30),
        PerIp = new TokenBucketRule(permitsPerSecond: 200, burst: 600),
        Global = new TokenBucketRule(permitsPerSecond: 2000, burst: 4000),
    };

    public TrafficRateLimits Publish { get; set; } = new()
    {
        PerUser = new TokenBucketRule(permitsPerSecond: 50, burst: 100),
        PerIp = new TokenBucketRule(permitsPerSecond: 500, burst: 1000),
        Global = new TokenBucketRule(permitsPerSecond: 10000, burst: 20000),
    };

    public TrafficRateLimits For(string traffic) => traffic == RateLimitTraffic.Publish ? Publish : Connect;
}
