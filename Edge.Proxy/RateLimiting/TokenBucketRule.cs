using System.Threading.RateLimiting;

namespace RealtimeAspire.EdgeProxy.RateLimiting;

/// <summary>A token bucket: a sustained rate and the burst allowed on top of it.</summary>
public sealed class TokenBucketRule
{
    public TokenBucketRule()
    {
    }

    public TokenBucketRule(int permitsPerSecond, int burst)
    {
        PermitsPerSecond = permitsPerSecond;
        Burst = burst;
    }

    /// <summary>Sustained rate the bucket refills at.</summary>
    public int PermitsPerSecond { get; set; }

    /// <summary>Bucket size: requests accepted at once after a quiet period.</summary>
    public int Burst { get; set; }

    /// <summary>
    /// The bucket as <see cref="TokenBucketRateLimiterOptions"/>. Refills in steps of at least 100 ms (the
    /// partitioned limiter's replenishment tick) with the exact configured rate: k tokens every k/rate seconds.
    /// </summary>
    public TokenBucketRateLimiterOptions ToLimiterOptions(int queueLimit)
    {
        var tokensPerPeriod = Math.Max(1, (int)Math.Ceiling(PermitsPerSecond / 10.0));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Burst,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokensPerPeriod / PermitsPerSecond),
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        };
    }
}
