using System.Net;
using RealtimeAspire.ConnectionService.Tests.Clients;
using static RealtimeAspire.PresenceService.Tests.Functional.PresenceFrames;

namespace RealtimeAspire.PresenceService.Tests.Functional;

[Collection(nameof(PresenceCluster))]
public sealed class PresenceApiTests(ClusterPresenceTopology cluster)
{
    [Fact]
    public async Task WithoutATokenBothApisAnswer401ProblemDetails()
    {
        using var http = new HttpClient { BaseAddress = cluster.Presence };
        foreach (var path in new[] { "/api/channels/chat:x/presence", "/api/users/alice/status" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task AChannelTheCallerMayNotSubscribeToIsForbiddenAndABadNameIsABadRequest()
    {
        using var api = new PresenceApiClient(cluster.Presence, PresenceTopology.Token("outsider", subscribe: ["chat:open"]));
        using (var forbidden = await api.GetAsync("/api/channels/chat:closed/presence"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        }
        using (var privateChannel = await api.GetAsync("/api/channels/user:someone-else/presence"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, privateChannel.StatusCode);
        }
        using var bad = await api.GetAsync("/api/channels/not%20a%20channel/presence");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        using var badLimit = await api.GetAsync("/api/channels/chat:open/presence?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task AUsersStatusNamesOnlyTheChannelsTheCallerMaySee()
    {
        var id = Guid.NewGuid().ToString("N");
        var (visible, hidden, dave) = ($"chat:visible-{id}", $"chat:hidden-{id}", $"dave-{id}");
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(1), PresenceTopology.Token(dave, "Dave"));
        await socket.SubscribeAsync(visible);
        await socket.SubscribeAsync(hidden);
        using var insider = new PresenceApiClient(cluster.Presence, PresenceTopology.Token($"insider-{id}"));
        await insider.WaitForChannelAsync(hidden, p => p.GetProperty("count").GetInt64() == 1);
        await insider.WaitForChannelAsync(visible, p => p.GetProperty("count").GetInt64() == 1);

        using var outsider = new PresenceApiClient(cluster.Presence, PresenceTopology.Token($"outsider-{id}", subscribe: [visible]));
        var status = await outsider.UserAsync(dave);
        Assert.True(status.GetProperty("online").GetBoolean());
        Assert.Equal([visible], status.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        var full = await insider.UserAsync(dave);
        Assert.Equal([hidden, visible], full.GetProperty("channels").EnumerateArray().Select(c => c.GetString()!).Order(StringComparer.Ordinal));

        var nobody = await insider.UserAsync($"nobody-{id}");
        Assert.False(nobody.GetProperty("online").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, nobody.GetProperty("lastSeen").ValueKind);
    }

    [Fact]
    public async Task NamespacesWithoutPresenceHaveNoMembersAndNoPresenceEvents()
    {
        var id = Guid.NewGuid().ToString("N");
        var (feed, chat, erin) = ($"feed:quiet-{id}", $"chat:loud-{id}", $"erin-{id}");
        await using var watcher = await RealtimeSocket.ConnectAsync(cluster.Replica(0), PresenceTopology.Token($"watcher-{id}"));
        await watcher.SubscribeAsync(feed);
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(2), PresenceTopology.Token(erin));
        await socket.SubscribeAsync(feed);
        // Reports from one replica are applied in order: once the later chat join is visible, the feed one would be too.
        await socket.SubscribeAsync(chat);
        using var api = new PresenceApiClient(cluster.Presence, PresenceTopology.Token($"reader-{id}"));
        await api.WaitForChannelAsync(chat, p => p.GetProperty("count").GetInt64() == 1);
        await socket.NextAsync(f => Joins(f, chat, erin));

        Assert.Equal(0, (await api.ChannelAsync(feed, countOnly: true)).GetProperty("count").GetInt64());
        Assert.Equal([chat], (await api.UserAsync(erin)).GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        while (watcher.TryTakeQueued(out var frame))
        {
            Assert.NotEqual("presence", frame.GetProperty("type").GetString());
        }
    }
}
