using System.Net;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

public sealed partial class ThroughTheEdgeTests
{
    [Fact]
    public async Task FirstResponseCarriesAnOpaqueKeyInHeaderAndCookie()
    {
        var info = await Edge.InfoAsync(TestRequestsToken($"first-{_run}"));

        Assert.Equal(HttpStatusCode.OK, info.Status);
        Assert.NotNull(info.Key);
        Assert.NotNull(info.SetCookie);
        Assert.Contains($"realtime-affinity={info.Key}", info.SetCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", info.SetCookie, StringComparison.OrdinalIgnoreCase);
        // Opaque: neither the replica's name nor its address.
        Assert.DoesNotContain("connection", info.Key, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", info.Key, StringComparison.Ordinal);
        foreach (var replica in Topology.Find(Cluster))
        {
            Assert.DoesNotContain(replica.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), info.Key, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("header")]
    [InlineData("query")]
    [InlineData("cookie")]
    public async Task EveryRequestWithAReplicasKeyLandsOnThatReplica(string carrier)
    {
        foreach (var replica in Replicas)
        {
            var key = await KeyOfAsync(replica);
            var token = TestRequestsToken($"sticky-{carrier}-{_run}-{replica}");

            for (var i = 0; i < 15; i++)
            {
                var info = await Edge.InfoAsync(token, key, carrier);
                Assert.Equal(HttpStatusCode.OK, info.Status);
                Assert.Equal(replica, info.Replica);
                Assert.Equal(key, info.Key);
            }
        }
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("a1.AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task ForgedOrStaleKeyIsRedistributedWithANewKey(string forged)
    {
        var info = await Edge.InfoAsync(TestRequestsToken($"forged-{_run}"), forged);

        Assert.Equal(HttpStatusCode.OK, info.Status);
        Assert.NotNull(info.Key);
        Assert.NotEqual(forged, info.Key);
        var again = await Edge.InfoAsync(TestRequestsToken($"forged-{_run}"), info.Key);
        Assert.Equal(info.Replica, again.Replica);
    }

    [Fact]
    public async Task RequestsWithoutKeyReachEveryReplica()
    {
        var seen = new HashSet<string>();
        await EventuallyAsync(async () =>
        {
            seen.Add((await Edge.InfoAsync(TestRequestsToken($"spread-{Guid.NewGuid():N}"))).Replica!);
            return seen.Count == Replicas.Length;
        }, TimeSpan.FromSeconds(20), "every replica answering");
    }
}
