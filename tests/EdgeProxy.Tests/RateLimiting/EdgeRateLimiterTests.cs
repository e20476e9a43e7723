using System.Threading.RateLimiting;
using RealtimeAspire.EdgeProxy.RateLimiting;

namespace RealtimeAspire.EdgeProxy.Tests.RateLimiting;

public sealed class EdgeRateLimiterTests
{
    private static EdgeRateLimitingOptions Options(int perUser = 3, int perIp = 5, int global = 1000) => new()
    {
        Connect = new TrafficRateLimits
        {
            PerUser = new TokenBucketRule(1, perUser),
            PerIp = new TokenBucketRule(1, perIp),
            Global = new TokenBucketRule(1, global),
        },
    };

    [Fact]
    public void UserBeyondItsBurstIsRefusedWithARetryAfter()
    {
        using var limiter = EdgeRateLimiter.Create(Options());

        for (var i = 0; i < 3; i++)
        {
            using var granted = limiter.AttemptAcquire(TestRequests.To("connect", subject: "alice"));
            Assert.True(granted.IsAcquired);
        }
        using var refused = limiter.AttemptAcquire(TestRequests.To("connect", subject: "alice"));

        Assert.False(refused.IsAcquired);
        Assert.True(EdgeRateLimiting.RetryAfterSeconds(refused) >= 1);
    }

    [Fact]
    public void RefusalsForOneUserTakeNothingFromItsIpBucket()
    {
        using var limiter = EdgeRateLimiter.Create(Options(perUser: 2, perIp: 4));

        for (var i = 0; i < 50; i++)
        {
            limiter.AttemptAcquire(TestRequests.To("connect", subject: "noisy")).Dispose();
        }

        // The IP bucket (4) lost only the noisy user's 2 granted requests: a neighbour still gets 2.
        Assert.True(limiter.AttemptAcquire(TestRequests.To("connect", subject: "neighbour")).IsAcquired);
        Assert.True(limiter.AttemptAcquire(TestRequests.To("connect", subject: "neighbour")).IsAcquired);
        Assert.False(limiter.AttemptAcquire(TestRequests.To("connect", subject: "neighbour")).IsAcquired);
    }

    [Fact]
    public void IpBucketStopsManyUsersBehindOneAddress()
    {
        using var limiter = EdgeRateLimiter.Create(Options(perUser: 100, perIp: 5));

        var granted = Enumerable.Range(0, 20).Count(i => limiter.AttemptAcquire(TestRequests.To("connect", subject: $"user-{i}")).IsAcquired);
        var otherAddress = limiter.AttemptAcquire(TestRequests.To("connect", ip: "198.51.100.9", subject: "user-99"));

        Assert.Equal(5, granted);
        Assert.True(otherAddress.IsAcquired);
    }

    [Fact]
    public void GlobalBucketShedsAStormFromManyAddresses()
    {
        using var limiter = EdgeRateLimiter.Create(Options(perUser: 100, perIp: 100, global: 10));

        var granted = Enumerable.Range(0, 100).Count(i => limiter.AttemptAcquire(TestRequests.To("connect", ip: $"10.0.{i / 250}.{i % 250}", subject: $"u{i}")).IsAcquired);

        Assert.Equal(10, granted);
    }

    [Fact]
    public void RoutesWithoutATrafficClassAreNotLimited()
    {
        using var limiter = EdgeRateLimiter.Create(Options(perUser: 1, perIp: 1, global: 1));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(limiter.AttemptAcquire(TestRequests.To(traffic: null)).IsAcquired));
    }

    [Fact]
    public void ConnectAndPublishHaveSeparateBuckets()
    {
        var options = Options(perUser: 1);
        options.Publish = new TrafficRateLimits { PerUser = new(1, 1), PerIp = new(1, 10), Global = new(1, 10) };
        using var limiter = EdgeRateLimiter.Create(options);

        Assert.True(limiter.AttemptAcquire(TestRequests.To("connect", subject: "dave")).IsAcquired);
        Assert.True(limiter.AttemptAcquire(TestRequests.To("publish", subject: "dave")).IsAcquired);
        Assert.False(limiter.AttemptAcquire(TestRequests.To("publish", subject: "dave")).IsAcquired);
    }

    [Fact]
    public void DisabledLimitsLetEverythingThrough()
    {
        var options = Options(perUser: 1, perIp: 1, global: 1);
        options.Enabled = false;
        using var limiter = EdgeRateLimiter.Create(options);

        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(limiter.AttemptAcquire(TestRequests.To("connect", subject: "eve")).IsAcquired));
    }

    [Theory]
    [InlineData(1, 1, 1.0)]
    [InlineData(5, 1, 0.2)]
    [InlineData(10, 1, 0.1)]
    [InlineData(200, 20, 0.1)]
    [InlineData(15, 2, 2.0 / 15)]
    public void BucketRefillsAtExactlyTheConfiguredRateInStepsOfAtLeast100Ms(int perSecond, int tokensPerPeriod, double periodSeconds)
    {
        var options = new TokenBucketRule(perSecond, 50).ToLimiterOptions(queueLimit: 0);

        Assert.Equal(tokensPerPeriod, options.TokensPerPeriod);
        Assert.Equal(periodSeconds, options.ReplenishmentPeriod.TotalSeconds, 3);
        Assert.Equal(perSecond, options.TokensPerPeriod / options.ReplenishmentPeriod.TotalSeconds, 3);
        Assert.True(options.ReplenishmentPeriod >= TimeSpan.FromMilliseconds(100));
        Assert.Equal(50, options.TokenLimit);
    }

    [Fact]
    public void RetryAfterWithoutEstimateIsOneSecond()
    {
        using var lease = new NoMetadataLease();

        Assert.Equal(1, EdgeRateLimiting.RetryAfterSeconds(lease));
    }

    private sealed class NoMetadataLease : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    [Fact]
    public void PollsContinuingACursorSpendPollPermitsNotConnectPermits()
    {
        var options = Options(perUser: 2);
        options.Poll = new TrafficRateLimits
        {
            PerUser = new TokenBucketRule(1, 50),
            PerIp = new TokenBucketRule(1, 1000),
            Global = new TokenBucketRule(1, 1000),
        };
        using var limiter = EdgeRateLimiter.Create(options);
        var continued = () => TestRequests.To("connect", subject: "poller", path: "/connect/poll", query: "?channels=chat:a&cursor=chat:a@41");

        var polls = Enumerable.Range(0, 50).Count(_ => limiter.AttemptAcquire(continued()).IsAcquired);

        Assert.Equal(50, polls);
        Assert.Equal(RateLimitTraffic.Poll, RateLimitTraffic.Of(continued()));
        // Its connect bucket is untouched: the first polls of new connections (no cursor) still get their 2.
        Assert.True(limiter.AttemptAcquire(TestRequests.To("connect", subject: "poller", path: "/connect/poll", query: "?channels=chat:a")).IsAcquired);
        Assert.True(limiter.AttemptAcquire(TestRequests.To("connect", subject: "poller", path: "/connect/poll", query: "?channels=chat:a&cursor=")).IsAcquired);
        Assert.False(limiter.AttemptAcquire(TestRequests.To("connect", subject: "poller", path: "/connect/sse")).IsAcquired);
    }
}
