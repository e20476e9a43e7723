using System.Threading.RateLimiting;

namespace RealtimeAspire.EdgeProxy.RateLimiting;

/// <summary>
/// One limiter for the whole edge, chained per user → per IP → global for the traffic class of the matched
/// route, and no limit for other routes. Per user first: a request refused for its user takes no permit from
/// its IP's or the global bucket, so one noisy user does not starve its neighbours behind the same NAT.
/// </summary>
public static class EdgeRateLimiter
{
    public static PartitionedRateLimiter<HttpContext> Create(EdgeRateLimitingOptions options) =>
        PartitionedRateLimiter.CreateChained(
            Scope(options, static (limits) => limits.PerUser, RateLimitPartitionKeys.User),
            Scope(options, static (limits) => limits.PerIp, RateLimitPartitionKeys.Ip),
            Scope(options, static (limits) => limits.Global, static _ => "all"));

    private static PartitionedRateLimiter<HttpContext> Scope(
        EdgeRateLimitingOptions options, Func<TrafficRateLimits, TokenBucketRule> rule, Func<HttpContext, string> key) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (!options.Enabled || RateLimitTraffic.Of(context) is not { } traffic)
            {
                return RateLimitPartition.GetNoLimiter("");
            }
            var bucket = rule(options.For(traffic));
            return RateLimitPartition.GetTokenBucketLimiter($"{traffic}|{key(context)}", _ => bucket.ToLimiterOptions(options.QueueLimit));
        });
}
