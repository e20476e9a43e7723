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

    /// <summary>
    /// Long polls that continue a cursor (<see cref="RateLimitTraffic.Poll"/>): one per batch a poller reads, so about
    /// as often as messages arrive on its channels (answers coalesce for 10 ms), never more than one held at a time.
    /// </summary>
    public TrafficRateLimits Poll { get; set; } = new()
    {
        PerUser = new TokenBucketRule(permitsPerSecond: 100, burst: 200),
        PerIp = new TokenBucketRule(permitsPerSecond: 2000, burst: 4000),
        Global = new TokenBucketRule(permitsPerSecond: 20000, burst: 40000),
    };

    public TrafficRateLimits For(string traffic) => traffic switch
    {
        RateLimitTraffic.Publish => Publish,
        RateLimitTraffic.Poll => Poll,
        _ => Connect,
    };
}
