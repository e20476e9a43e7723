using Microsoft.AspNetCore.Server.Kestrel.Core;
using RealtimeAspire.EdgeProxy.Limits;

namespace RealtimeAspire.EdgeProxy.Tests.Limits;

public sealed class EdgeLimitsTests
{
    [Fact]
    public void OptionsBecomeKestrelLimits()
    {
        var limits = new KestrelServerOptions().Limits;
        var options = new EdgeLimitsOptions { MaxRequestBodyBytes = 4096, MaxConcurrentUpgradedConnections = 10 };

        EdgeLimits.Apply(options, limits);

        Assert.Equal(4096, limits.MaxRequestBodySize);
        Assert.Equal(32 * 1024, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(64, limits.MaxRequestHeaderCount);
        Assert.Equal(TimeSpan.FromSeconds(10), limits.RequestHeadersTimeout);
        Assert.Equal(240, limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(10, limits.MaxConcurrentUpgradedConnections);
        Assert.Null(limits.MaxConcurrentConnections);
    }
}
