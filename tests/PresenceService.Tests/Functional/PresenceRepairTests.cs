using System.Net;
using System.Net.Http.Json;
using RealtimeAspire.ConnectionService.Presence;
using RealtimeAspire.ConnectionService.Tests.Clients;
using static RealtimeAspire.PresenceService.Tests.Functional.PresenceFrames;

namespace RealtimeAspire.PresenceService.Tests.Functional;

[Collection(nameof(PresenceCluster))]
public sealed class PresenceRepairTests(ClusterPresenceTopology cluster)
{
    [Fact]
    public async Task ReportsWithoutTheReplicaKeyAreRefused()
    {
        using var http = new HttpClient { BaseAddress = cluster.Presence };
        using var anonymous = await http.PostAsJsonAsync("/internal/presence/release", new { replica = "connection-service-0" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/presence/release") { Content = JsonContent.Create(new { replica = "connection-service-0" }) };
        request.Headers.Add(PresenceReportKey.Header, PresenceReportKey.Derive("not-the-signing-key-not-the-signing-key"));
        using var forged = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task MembershipThatPresenceServiceLostComesBackWithTheReplicasNextRefresh()
    {
        var id = Guid.NewGuid().ToString("N");
        var (channel, frank) = ($"chat:repair-{id}", $"frank-{id}");
        await using var observer = await RealtimeSocket.ConnectAsync(cluster.Replica(1), PresenceTopology.Token($"watcher-{id}"));
        await observer.SubscribeAsync(channel);
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(0), PresenceTopology.Token(frank));
        await socket.SubscribeAsync(channel);
        await observer.NextAsync(f => Joins(f, channel, frank));

        // Lose everything Presence.Service knows of replica 0, as if its reports had gone astray.
        using var http = new HttpClient { BaseAddress = cluster.Presence };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/presence/release") { Content = JsonContent.Create(new { replica = "connection-service-0" }) };
        request.Headers.Add(PresenceReportKey.Header, PresenceReportKey.Derive(PresenceTopology.SigningKey));
        using var released = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
        await observer.NextAsync(f => Leaves(f, channel, frank));

        // The replica's periodic full refresh (every 5 s here) puts it back.
        await observer.NextAsync(f => Joins(f, channel, frank), TimeSpan.FromSeconds(15));
        using var api = new PresenceApiClient(cluster.Presence, PresenceTopology.Token($"reader-{id}"));
        await api.WaitForChannelAsync(channel, p => p.GetProperty("members").EnumerateArray().Any(m => m.GetProperty("user").GetString() == frank));
    }
}
