using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeAspire.ConnectionService.Tests.Clients;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>Typing hints: at most one per user and channel per <c>TypingInterval</c> (2 s here), over every connection and replica.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class TypingTests(ClusterTopology cluster)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task TypingReachesOtherSubscribersAndIsNeverStored()
    {
        var channel = $"chat:typing-{Guid.NewGuid():N}";
        await using var alice = await RealtimeSocket.ConnectAsync(cluster.Replica(0), await Tokens.ForAsync(cluster.Replica(0), "alice"));
        await using var bob = await RealtimeSocket.ConnectAsync(cluster.Replica(1), await Tokens.ForAsync(cluster.Replica(1), "bob"));
        await bob.SubscribeAsync(channel);

        await alice.SendAsync(new { type = "typing", channel });

        var typing = await bob.NextAsync(IsTyping);
        Assert.Equal("alice", typing.GetProperty("user").GetString());
        using var poll = new PollClient(cluster.Replica(2), await Tokens.ForAsync(cluster.Replica(2), "carol"), channel);
        await poll.PollAsync();
        Assert.Equal($"{channel}@0", poll.Cursor);
    }

    [Fact]
    public async Task AUsersTypingGoesOutOncePerIntervalWhateverConnectionOrReplicaItComesFrom()
    {
        var (channel, alice, bob) = await AliceAndListeningBobAsync();
        await using var listening = bob;
        await using var firstTab = await RealtimeSocket.ConnectAsync(cluster.Replica(0), alice);
        await using var secondTab = await RealtimeSocket.ConnectAsync(cluster.Replica(1), alice);

        await firstTab.SendAsync(new { type = "typing", channel });
        var typing = await bob.NextAsync(IsTyping);
        Assert.Equal("alice", typing.GetProperty("user").GetString());

        // Within the interval, from another replica's WebSocket and over HTTP: both dropped. Each is decided before
        // the publish that follows it, so a typing frame that went out would reach bob before that message.
        await secondTab.SendAsync(new { type = "typing", channel });
        using (var overHttp = await Tokens.TypingAsync(cluster.Replica(2), alice, channel))
        {
            Assert.Equal(HttpStatusCode.NoContent, overHttp.StatusCode);
        }
        await secondTab.PublishAsync(channel, new { text = "after typing" });
        await bob.MessagesAsync(channel, 1);

        var passedOver = new List<JsonElement>();
        while (bob.TryTakeQueued(out var frame))
        {
            passedOver.Add(frame);
        }
        Assert.DoesNotContain(passedOver, IsTyping);
    }

    [Fact]
    public async Task TheNextTypingGoesOutOnceTheConfiguredIntervalHasPassed()
    {
        var (channel, alice, bob) = await AliceAndListeningBobAsync();
        await using var listening = bob;
        await using var tab = await RealtimeSocket.ConnectAsync(cluster.Replica(0), alice);
        await tab.SendAsync(new { type = "typing", channel });
        await bob.NextAsync(IsTyping);
        var sinceFirst = Stopwatch.StartNew();

        // Keep typing, as a user does, from the other replica over HTTP, until one more hint goes out.
        var sent = 0;
        using var pacing = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var second = bob.NextAsync(IsTyping, TimeSpan.FromSeconds(10));
        while (!second.IsCompleted && await pacing.WaitForNextTickAsync())
        {
            using var response = await Tokens.TypingAsync(cluster.Replica(1), alice, channel);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            sent++;
        }
        await second;

        Assert.InRange(sinceFirst.Elapsed, Interval - TimeSpan.FromMilliseconds(250), Interval + TimeSpan.FromSeconds(5));
        Assert.True(sent >= 5, $"{sent} typing hints were sent before the second went out");
    }

    [Fact]
    public async Task AnSseClientTypesOverHttpAndANamespaceWithoutTypingRefusesIt()
    {
        var channel = $"chat:typing-{Guid.NewGuid():N}";
        var carol = await Tokens.ForAsync(cluster.Replica(1), "carol");
        await using var listener = await SseStream.OpenAsync(cluster.Replica(0), await Tokens.ForAsync(cluster.Replica(0), "dave"), channel);
        Assert.Equal("welcome", (await listener.NextAsync()).Event);

        // A hint has no position: it reaches the stream once the stream's channels are subscribed in Redis, a moment
        // after the welcome (docs/protocol.md). Typists take turns (each user may hint once per interval) until one
        // arrives; bounded by the attempts.
        SseEvent? typing = null;
        var typists = new List<string>();
        for (var attempt = 0; attempt < 20 && typing is null; attempt++)
        {
            var typist = attempt == 0 ? "carol" : $"carol-{attempt}";
            typists.Add(typist);
            var token = attempt == 0 ? carol : await Tokens.ForAsync(cluster.Replica(1), typist);
            using (var typed = await Tokens.TypingAsync(cluster.Replica(1), token, channel))
            {
                Assert.Equal(HttpStatusCode.NoContent, typed.StatusCode);
            }
            try
            {
                typing = await listener.NextAsync(TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
            }
        }
        Assert.NotNull(typing);
        Assert.Equal("typing", typing.Event);
        Assert.Contains(typing.Data.GetProperty("user").GetString(), typists);

        using var refused = await Tokens.TypingAsync(cluster.Replica(1), carol, $"feed:typing-{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("typing_disabled", problem.GetProperty("title").GetString());
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(1), carol);
        await socket.SendAsync(new { type = "typing", id = 9, channel = "feed:news" });
        var error = await socket.NextAsync(f => f.TryGetProperty("id", out var id) && id.GetInt64() == 9);
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("typing_disabled", error.GetProperty("code").GetString());
    }

    /// <summary>A fresh chat channel, alice's token, and bob on replica 2 subscribed to the channel.</summary>
    private async Task<(string Channel, string Alice, RealtimeSocket Bob)> AliceAndListeningBobAsync()
    {
        var channel = $"chat:typing-{Guid.NewGuid():N}";
        var bob = await RealtimeSocket.ConnectAsync(cluster.Replica(2), await Tokens.ForAsync(cluster.Replica(2), "bob"));
        await bob.SubscribeAsync(channel);
        return (channel, await Tokens.ForAsync(cluster.Replica(0), "alice"), bob);
    }

    private static bool IsTyping(JsonElement frame) => frame.GetProperty("type").GetString() == "typing";
}
