using System.Net;
using Microsoft.AspNetCore.Http;
using RealtimeAspire.EdgeProxy.RateLimiting;

namespace RealtimeAspire.EdgeProxy.Tests.RateLimiting;

public sealed class RateLimitPartitionKeysTests
{
    [Fact]
    public void UserIsTheSubjectOfABearerToken()
    {
        Assert.Equal("user:alice", RateLimitPartitionKeys.User(TestRequests.To("connect", subject: "alice")));
    }

    [Fact]
    public void UserIsTheSubjectOfAnAccessTokenInTheQuery()
    {
        var context = TestRequests.To("connect");
        context.Request.QueryString = QueryString.Create("access_token", TestRequests.UnsignedToken(new { sub = "bob", exp = 1 }));

        Assert.Equal("user:bob", RateLimitPartitionKeys.User(context));
    }

    [Fact]
    public void WithoutTokenTheUserIsTheIpAddress()
    {
        Assert.Equal("ip:203.0.113.7", RateLimitPartitionKeys.User(TestRequests.To("connect")));
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.!!!.c")]
    [InlineData("a.bm90IGpzb24.c")]
    [InlineData("")]
    public void MalformedTokenFallsBackToTheIpAddress(string token)
    {
        var context = TestRequests.To("connect");
        context.Request.Headers.Authorization = "Bearer " + token;

        Assert.Equal("ip:203.0.113.7", RateLimitPartitionKeys.User(context));
    }

    [Fact]
    public void SubjectThatIsNotAShortStringFallsBackToTheIpAddress()
    {
        var numeric = TestRequests.To("connect");
        numeric.Request.Headers.Authorization = "Bearer " + TestRequests.UnsignedToken(new { sub = 42 });
        var huge = TestRequests.To("connect");
        huge.Request.Headers.Authorization = "Bearer " + TestRequests.UnsignedToken(new { sub = new string('x', JwtSubject.MaxSubjectLength + 1) });

        Assert.Equal("ip:203.0.113.7", RateLimitPartitionKeys.User(numeric));
        Assert.Equal("ip:203.0.113.7", RateLimitPartitionKeys.User(huge));
    }

    [Fact]
    public void SubjectIsFoundAfterNestedClaims()
    {
        var context = TestRequests.To("connect");
        context.Request.Headers.Authorization = "Bearer " + TestRequests.UnsignedToken(new { scope = new { subscribe = new[] { "chat:*" } }, sub = "carol" });

        Assert.Equal("user:carol", RateLimitPartitionKeys.User(context));
    }

    [Theory]
    [InlineData("198.51.100.4", "198.51.100.4")]
    [InlineData("::ffff:198.51.100.4", "198.51.100.4")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::1", "::1")]
    public void IpBucketsIpv4ByAddressAndIpv6ByItsSlash64(string address, string expected)
    {
        Assert.Equal(expected, RateLimitPartitionKeys.Normalize(IPAddress.Parse(address)));
    }
}
