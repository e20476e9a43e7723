using System.Collections.Concurrent;
using RealtimeAspire.Client;

namespace RealtimeAspire.Clients.Tests.DotNet;

/// <summary>The presence API, presence and typing events on a subscription, and typing hints, over each transport.</summary>
[Collection(nameof(ClientTopologyCollection))]
public sealed class PresenceAndTypingTests(ClientTopologyFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(RealtimeTransport.WebSocket)]
    [InlineData(RealtimeTransport.ServerSentEvents)]
    [InlineData(RealtimeTransport.LongPolling)]
    public async Task PresenceListsBothUsersAndTheSubscriberSeesTheJoinAndTheTyping(RealtimeTransport transport)
    {
        var channel = $"chat:{Unique.Name("presence")}";
        var (alice, bob) = (Unique.Name("alice"), Unique.Name("bob"));
        var joins = new ConcurrentQueue<RealtimePresenceUser>();
        var typing = new ConcurrentQueue<RealtimeTypingEvent>();
        await using var bobClient = TestClient.Create(fixture, bob, [transport]);
        var bobReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var bobReads = new Collected(bobClient.Client, channel, new RealtimeSubscriptionOptions
        {
            OnReady = bobReady.SetResult,
            OnPresence = e =>
            {
                Assert.Equal(channel, e.Channel);
                foreach (var user in e.Joined)
                {
                    joins.Enqueue(user);
                }
            },
            OnTyping = typing.Enqueue,
        });
        await bobReady.Task.WaitAsync(s_timeout);
        await using var aliceClient = TestClient.Create(fixture, alice, [transport]);
        await using var aliceReads = new Collected(aliceClient.Client, channel, since: null);

        await Eventually.TrueAsync(async () =>
        {
            var presence = await bobClient.Client.GetPresenceAsync(channel);
            return presence.Members is { } members && members.Any(m => m.User == alice) && members.Any(m => m.User == bob) && presence.Count == 2;
        }, s_timeout, "alice and bob in the presence API");
        var counted = await aliceClient.Client.GetPresenceAsync(channel, countOnly: true);
        Assert.Equal(2, counted.Count);
        Assert.Null(counted.Members);
        await Eventually.TrueAsync(() => joins.Any(u => u.User == alice && u.Name == alice), s_timeout, "alice's join at bob");

        // A hint goes out at most once per second per user: send one per half second until bob has seen one.
        await Eventually.TrueAsync(async () =>
        {
            await aliceClient.Client.TypingAsync(channel);
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            while (!typing.Any(t => t.User == alice) && !wait.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
            }
            return typing.Any(t => t.User == alice);
        }, s_timeout, "alice typing at bob");
        Assert.All(typing, t => Assert.Equal(channel, t.Channel));
    }

    [Fact]
    public async Task TypingWhereTheNamespaceHasNoTypingIsRefusedWithItsCode()
    {
        await using var client = TestClient.Create(fixture, Unique.Name("typist"));
        var refused = await Assert.ThrowsAsync<RealtimeException>(() => client.Client.TypingAsync($"feed:{Unique.Name("quiet")}").WaitAsync(s_timeout));
        Assert.Equal("typing_disabled", refused.Code);
        Assert.Equal(400, refused.StatusCode);
    }

    [Fact]
    public async Task PresenceOfAChannelTheTokenMayNotSubscribeToIsForbidden()
    {
        var user = Unique.Name("outsider");
        await using var client = TestClient.Create(fixture, user, configure: o => o.TokenProvider = ct =>
            new ValueTask<string>(fixture.TokenAsync(user, ct, subscribe: ["chat:lobby"], publish: ["chat:lobby"])));
        var refused = await Assert.ThrowsAsync<RealtimeException>(() => client.Client.GetPresenceAsync($"chat:{Unique.Name("private")}").WaitAsync(s_timeout));
        Assert.Equal("forbidden", refused.Code);
        Assert.Equal(403, refused.StatusCode);
    }
}
