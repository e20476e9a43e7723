using System.Diagnostics;
using System.Text.Json;
using RealtimeAspire.ConnectionService.Tests.Clients;
using Xunit.Abstractions;
using static RealtimeAspire.PresenceService.Tests.Functional.PresenceFrames;

namespace RealtimeAspire.PresenceService.Tests.Functional;

/// <summary>Presence events from Presence.Service to subscribers on every replica, and the presence API agreeing.</summary>
/// <remarks>Run twice: on one Redis server (<see cref="PresenceEventsTests"/>) and on a Redis Cluster (<see cref="PresenceEventsOnRedisClusterTests"/>).</remarks>
public abstract class PresenceEventsScenarios(PresenceTopology cluster, ITestOutputHelper output)
{
    /// <summary>
    /// The issue's bar is 1 s at p99; one sample on a loaded two-core machine can catch a scheduler stall, so the
    /// bar applies to the median of three pairs (a leave that only came with the 5 s refresh or lease fails it).
    /// </summary>
    [Fact]
    public async Task TwoUsersOnDifferentReplicasSeeEachOtherAndTheLeaveReachesTheOtherWithinASecond()
    {
        var channel = $"chat:pair-{Guid.NewGuid():N}";
        var (alice, bob) = ($"alice-{Guid.NewGuid():N}", $"bob-{Guid.NewGuid():N}");
        var aliceToken = PresenceTopology.Token(alice, "Alice");
        var bobToken = PresenceTopology.Token(bob, "Bob");
        await using var aliceSocket = await RealtimeSocket.ConnectAsync(cluster.Replica(0), aliceToken);
        await aliceSocket.SubscribeAsync(channel);
        var aliceJoined = await aliceSocket.NextAsync(f => Joins(f, channel, alice));

        await using var bobSocket = await RealtimeSocket.ConnectAsync(cluster.Replica(1), bobToken);
        var joining = Stopwatch.StartNew();
        await bobSocket.SubscribeAsync(channel);
        var bobJoined = await aliceSocket.NextAsync(f => Joins(f, channel, bob), TimeSpan.FromSeconds(5));
        var joinLatency = joining.Elapsed;
        Assert.Equal("Bob", bobJoined.GetProperty("joined").EnumerateArray().Single(u => u.GetProperty("user").GetString() == bob).GetProperty("name").GetString());
        Assert.Empty(Left(bobJoined));
        // Bob, subscribed by the time his own join goes out, sees it too.
        await bobSocket.NextAsync(f => Joins(f, channel, bob), TimeSpan.FromSeconds(5));

        using var aliceApi = new PresenceApiClient(cluster.Presence, aliceToken);
        using var bobApi = new PresenceApiClient(cluster.Presence, bobToken);
        var presence = await aliceApi.WaitForChannelAsync(channel, p => p.GetProperty("count").GetInt64() == 2);
        Assert.Equal([alice, bob], await bobApi.MemberIdsAsync(channel));
        var members = presence.GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("user").GetString()!);
        Assert.Equal("Alice", members[alice].GetProperty("name").GetString());
        Assert.Equal("Bob", members[bob].GetProperty("name").GetString());
        Assert.All(members.Values, m => Assert.Equal(1, m.GetProperty("connections").GetInt64()));
        Assert.True(members[alice].GetProperty("since").GetDateTimeOffset() <= members[bob].GetProperty("since").GetDateTimeOffset());
        var count = await aliceApi.ChannelAsync(channel, countOnly: true);
        Assert.Equal(2, count.GetProperty("count").GetInt64());
        Assert.False(count.TryGetProperty("members", out _));

        var bobStatus = await aliceApi.UserAsync(bob);
        Assert.True(bobStatus.GetProperty("online").GetBoolean());
        Assert.Equal([channel], bobStatus.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));

        var leaving = Stopwatch.StartNew();
        await bobSocket.CloseAsync();
        var closed = leaving.Elapsed;
        var left = await aliceSocket.NextAsync(f => Leaves(f, channel, bob), TimeSpan.FromSeconds(5));
        var leaveLatency = leaving.Elapsed;
        output.WriteLine($"join → joined event: {joinLatency.TotalMilliseconds:0} ms; close → left event: {leaveLatency.TotalMilliseconds:0} ms (close handshake {closed.TotalMilliseconds:0} ms)");
        Assert.Empty(Joined(left));
        List<TimeSpan> joins = [joinLatency], leaves = [leaveLatency];
        for (var replica = 1; replica <= 2; replica++)
        {
            var (join, leave) = await JoinAndLeaveAsync(aliceSocket, channel, cluster.Replica(replica));
            output.WriteLine($"again on replica {replica}: joined {join.TotalMilliseconds:0} ms, left {leave.TotalMilliseconds:0} ms");
            joins.Add(join);
            leaves.Add(leave);
        }
        Assert.True(Median(leaves) < TimeSpan.FromSeconds(1), $"left arrived after {string.Join(", ", leaves.Select(l => $"{l.TotalMilliseconds:0} ms"))}");
        Assert.True(Median(joins) < TimeSpan.FromSeconds(1), $"joined arrived after {string.Join(", ", joins.Select(j => $"{j.TotalMilliseconds:0} ms"))}");

        await aliceApi.WaitForChannelAsync(channel, p => p.GetProperty("count").GetInt64() == 1);
        Assert.Equal([alice], await aliceApi.MemberIdsAsync(channel));
        bobStatus = await aliceApi.UserAsync(bob);
        Assert.False(bobStatus.GetProperty("online").GetBoolean());
        Assert.Empty(bobStatus.GetProperty("channels").EnumerateArray());
        var lastSeen = bobStatus.GetProperty("lastSeen").GetDateTimeOffset();
        Assert.InRange(lastSeen, DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task AUserWithAWebSocketAnSseStreamAndALongPollIsOneMemberWhoLeavesOnlyWithTheLastConnection()
    {
        var channel = $"chat:tabs-{Guid.NewGuid():N}";
        var (watcher, carol) = ($"watcher-{Guid.NewGuid():N}", $"carol-{Guid.NewGuid():N}");
        var carolToken = PresenceTopology.Token(carol, "Carol");
        await using var observer = await RealtimeSocket.ConnectAsync(cluster.Replica(0), PresenceTopology.Token(watcher));
        await observer.SubscribeAsync(channel);
        var frames = new List<JsonElement>();
        async Task<(JsonElement Frame, DateTime At)> UntilAsync(Func<JsonElement, bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var remaining = deadline - DateTime.UtcNow;
                var frame = await observer.NextAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1));
                var at = DateTime.UtcNow;
                frames.Add(frame);
                if (match(frame))
                {
                    return (frame, at);
                }
            }
        }
        using var api = new PresenceApiClient(cluster.Presence, carolToken);
        Task<JsonElement> ConnectionsAsync(int n) => api.WaitForChannelAsync(channel, p =>
            p.GetProperty("members").EnumerateArray().Any(m => m.GetProperty("user").GetString() == carol && m.GetProperty("connections").GetInt64() == n));

        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(1), carolToken);
        await socket.SubscribeAsync(channel);
        await UntilAsync(f => Joins(f, channel, carol), TimeSpan.FromSeconds(5));
        await ConnectionsAsync(1);

        var sse = await SseStream.OpenAsync(cluster.Replica(2), carolToken, channel);
        var sseOpen = true;
        try
        {
            Assert.Equal("welcome", (await sse.NextAsync()).Event);
            await ConnectionsAsync(2);

            // A long-poll client is present while it keeps polling (each held poll subscribes; the gaps are covered by the grace).
            using var poll = new PollClient(cluster.Replica(0), carolToken, channel);
            Assert.Equal("welcome", Assert.Single(await poll.PollAsync()).GetProperty("type").GetString());
            using var stopPolling = new CancellationTokenSource();
            var polling = Task.Run(async () =>
            {
                var polls = 0;
                // Bounded even when the test fails before it stops the loop.
                var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(90);
                while (!stopPolling.IsCancellationRequested && DateTime.UtcNow < giveUp)
                {
                    await poll.PollAsync();
                    polls++;
                }
                return polls;
            });
            await ConnectionsAsync(3);

            await socket.CloseAsync();
            await ConnectionsAsync(2);
            await sse.DisposeAsync();
            sseOpen = false;
            await ConnectionsAsync(1);
            Assert.Equal(1, (await api.ChannelAsync(channel)).GetProperty("members").EnumerateArray().Count(m => m.GetProperty("user").GetString() == carol));
            // Two of three connections gone, still polling: no leave so far.
            while (observer.TryTakeQueued(out var queued))
            {
                frames.Add(queued);
            }
            Assert.DoesNotContain(frames, f => Leaves(f, channel, carol));

            await stopPolling.CancelAsync();
            var polls = await polling.WaitAsync(TimeSpan.FromSeconds(15));
            var pollingStopped = DateTime.UtcNow;
            var (_, leftAt) = await UntilAsync(f => Leaves(f, channel, carol), PresenceTopology.LongPollGrace + TimeSpan.FromSeconds(10));
            output.WriteLine($"{polls} polls; left {(leftAt - pollingStopped).TotalMilliseconds:0} ms after the last poll ended (grace {PresenceTopology.LongPollGrace.TotalSeconds} s)");

            Assert.Equal(1, frames.Count(f => Joins(f, channel, carol)));
            Assert.Equal(1, frames.Count(f => Leaves(f, channel, carol)));
            Assert.True(leftAt - pollingStopped < PresenceTopology.LongPollGrace + TimeSpan.FromSeconds(2), $"left {(leftAt - pollingStopped).TotalMilliseconds:0} ms after polling stopped");
            var status = await api.UserAsync(carol);
            Assert.False(status.GetProperty("online").GetBoolean());
        }
        finally
        {
            if (sseOpen)
            {
                await sse.DisposeAsync();
            }
        }
    }

    private static async Task<(TimeSpan Join, TimeSpan Leave)> JoinAndLeaveAsync(RealtimeSocket observer, string channel, Uri replica)
    {
        var user = $"dave-{Guid.NewGuid():N}";
        await using var socket = await RealtimeSocket.ConnectAsync(replica, PresenceTopology.Token(user, "Dave"));
        var clock = Stopwatch.StartNew();
        await socket.SubscribeAsync(channel);
        await observer.NextAsync(f => Joins(f, channel, user), TimeSpan.FromSeconds(5));
        var join = clock.Elapsed;
        clock.Restart();
        await socket.CloseAsync();
        await observer.NextAsync(f => Leaves(f, channel, user), TimeSpan.FromSeconds(5));
        return (join, clock.Elapsed);
    }

    private static TimeSpan Median(List<TimeSpan> samples) => samples.Order().ElementAt(samples.Count / 2);
}

[Collection(nameof(PresenceCluster))]
public sealed class PresenceEventsTests(ClusterPresenceTopology cluster, ITestOutputHelper output) : PresenceEventsScenarios(cluster, output);

[Collection(nameof(PresenceOnRedisCluster))]
public sealed class PresenceEventsOnRedisClusterTests(RedisClusterPresenceTopology cluster, ITestOutputHelper output) : PresenceEventsScenarios(cluster, output);
