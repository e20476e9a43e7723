using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using RealtimeAspire.EdgeProxy.Cors;

namespace RealtimeAspire.EdgeProxy.Tests.Cors;

public sealed class AllowedOriginsTests
{
    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("HTTPS://APP.EXAMPLE.COM", true)]
    [InlineData("https://app.example.com/", true)]
    [InlineData("http://app.example.com", false)]
    [InlineData("https://app.example.com:8443", false)]
    [InlineData("https://evil.example", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void OnlyListedOriginsAreAllowed(string? origin, bool allowed)
    {
        var options = new AllowedOriginsOptions { AllowedOrigins = ["https://app.example.com/"] };

        Assert.Equal(allowed, options.IsAllowed(origin));
    }

    [Fact]
    public void StarAllowsEveryOrigin()
    {
        Assert.True(new AllowedOriginsOptions { AllowedOrigins = ["*"] }.IsAllowed("https://anything.example"));
    }

    [Fact]
    public void EdgesOwnOriginIsSameOrigin()
    {
        var request = new DefaultHttpContext().Request;
        request.Scheme = "http";
        request.Host = new HostString("localhost:5000");

        Assert.True(EdgeCors.IsSameOrigin(request, "http://localhost:5000"));
        Assert.False(EdgeCors.IsSameOrigin(request, "http://localhost:5001"));
    }
}
