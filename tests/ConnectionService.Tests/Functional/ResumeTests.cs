using RealtimeAspire.ConnectionService.Tests.Clients;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>Design invariant 3: a reconnecting client gets every missed message exactly once, in order — on any transport and any replica.</summary>
/// <remarks>Run twice: on one Redis server (<see cref="ResumeTests"/>) and on a Redis Cluster (<see cref="ResumeOnRedisClusterTests"/>).</remarks>
public abstract class ResumeScenarios(ConnectionServiceTopology cluster)
{
    private const int Missed = 50;

    [Fact]
    public async Task WebSocketClientResumesOnAnotherReplicaWithEveryMissedMessageOnce()
    {
        var (channel, token) = await NewChannelAsync("ws");
        long last;
        await using (var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(0), token))
        {
            await socket.SubscribeAsync(channel);
            await PublishAsync(channel, 3);
            last = (await socket.MessagesAsync(channel, 3))[^1].GetProperty("seq").GetInt64();
        }
        await PublishAsync(channel, Missed);

        await using var resumed = await RealtimeSocket.ConnectAsync(cluster.Replica(1), token);
        var ack = await resumed.SubscribeAsync(channel, since: last);
        Assert.Equal(last, ack.GetProperty("seq").GetInt64());
        await PublishAsync(channel, 2);

        var messages = await resumed.MessagesAsync(channel, Missed + 2);
        Assert.Equal(Range(last + 1, Missed + 2), messages.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.False(resumed.TryTakeQueued(out _));
    }

    [Fact]
    public async Task SseClientResumesEveryChannelOfItsStreamFromLastEventId()
    {
        var (first, token) = await NewChannelAsync("sse-a");
        var second = first.Replace("sse-a", "sse-b", StringComparison.Ordinal);
        string lastEventId;
        await using (var sse = await SseStream.OpenAsync(cluster.Replica(0), token, $"{first},{second}"))
        {
            await PublishAsync(first, 2);
            await PublishAsync(second, 1);
            await sse.MessagesAsync(first, 2);
            await sse.MessagesAsync(second, 1);
            lastEventId = sse.LastEventId!;
        }
        Assert.Equal($"{first}@2|{second}@1", lastEventId);
        await PublishAsync(first, Missed);
        await PublishAsync(second, Missed);

        await using var resumed = await SseStream.OpenAsync(cluster.Replica(2), token, $"{first},{second}", lastEventId);

        Assert.Equal(Range(3, Missed), (await resumed.MessagesAsync(first, Missed)).Select(e => e.Data.GetProperty("seq").GetInt64()));
        Assert.Equal(Range(2, Missed), (await resumed.MessagesAsync(second, Missed)).Select(e => e.Data.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task SseWelcomeIdHoldsTheStartingPositionOfEveryDurableChannelSoAReconnectBeforeTheFirstMessageMissesNothing()
    {
        var (channel, token) = await NewChannelAsync("sse-start");
        var ephemeral = $"live:{channel["chat:".Length..]}";
        await PublishAsync(channel, 2);
        string startingPositions;
        await using (var sse = await SseStream.OpenAsync(cluster.Replica(0), token, $"{channel},{ephemeral}"))
        {
            var welcome = await sse.NextAsync();
            Assert.Equal("welcome", welcome.Event);
            startingPositions = welcome.Id!;
            Assert.Equal(startingPositions, sse.LastEventId);
        }
        Assert.Equal($"{channel}@2", startingPositions); // ephemeral channels have no position
        await PublishAsync(channel, 3);

        await using var resumed = await SseStream.OpenAsync(cluster.Replica(1), token, $"{channel},{ephemeral}", startingPositions);

        Assert.Equal(Range(3, 3), (await resumed.MessagesAsync(channel, 3)).Select(e => e.Data.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task LongPollCursorContinuesExactlyWhereTheLastBatchEndedOnAnyReplica()
    {
        var (channel, token) = await NewChannelAsync("poll");
        using var poll = new PollClient(cluster.Replica(0), token, channel);
        await poll.PollAsync();
        await PublishAsync(channel, Missed);

        var firstBatch = await poll.PollAsync();
        Assert.Equal(Range(1, Missed), firstBatch.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal($"{channel}@{Missed}", poll.Cursor);

        // The response is lost: the client polls again with its previous cursor and gets the same batch.
        using var retry = new PollClient(cluster.Replica(1), token, channel) { Cursor = $"{channel}@0" };
        Assert.Equal(firstBatch.Select(m => m.GetRawText()), (await retry.PollAsync()).Select(m => m.GetRawText()));

        await PublishAsync(channel, 1);
        using var elsewhere = new PollClient(cluster.Replica(2), token, channel) { Cursor = poll.Cursor };
        Assert.Equal([Missed + 1L], (await elsewhere.PollAsync()).Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task ClientLeavingOnWebSocketComesBackOnSseWithTheSamePositions()
    {
        var (channel, token) = await NewChannelAsync("cross");
        long last;
        await using (var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(0), token))
        {
            await socket.SubscribeAsync(channel);
            await PublishAsync(channel, 4);
            last = (await socket.MessagesAsync(channel, 4))[^1].GetProperty("seq").GetInt64();
        }
        await PublishAsync(channel, Missed);

        await using var sse = await SseStream.OpenAsync(cluster.Replica(1), token, channel, $"{channel}@{last}");

        Assert.Equal(Range(last + 1, Missed), (await sse.MessagesAsync(channel, Missed)).Select(e => e.Data.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task MessagesPublishedDuringCatchUpAreNeitherLostNorDuplicated()
    {
        var (channel, token) = await NewChannelAsync("race");
        await PublishAsync(channel, 200);
        var concurrent = PublishAsync(channel, 200);

        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(2), token);
        await socket.SubscribeAsync(channel, since: 0);
        await concurrent;

        var messages = await socket.MessagesAsync(channel, 400, TimeSpan.FromSeconds(60));
        Assert.Equal(Range(1, 400), messages.Select(m => m.GetProperty("seq").GetInt64()));
        await PublishAsync(channel, 1);
        Assert.Equal(401, (await socket.MessagesAsync(channel, 1))[0].GetProperty("seq").GetInt64());
        Assert.False(socket.TryTakeQueued(out _));
    }

    [Fact]
    public async Task ResumeBeyondRedisHistoryWithoutMessageServiceAnswersHistoryUnavailable()
    {
        // The cluster topology has no Message.Service: the older part of the history cannot be fetched.
        var channel = $"feed:trimmed-{Guid.NewGuid():N}";
        var token = await Tokens.ForAsync(cluster.Replica(0), "feeder");
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(0), token);
        for (var i = 0; i < 110; i++)
        {
            await socket.PublishAsync(channel, i);
        }

        var reply = await socket.SubscribeAsync(channel, since: 1);

        Assert.Equal("error", reply.GetProperty("type").GetString());
        Assert.Equal("history_unavailable", reply.GetProperty("code").GetString());
        Assert.Equal("ack", (await socket.SubscribeAsync(channel, since: 10)).GetProperty("type").GetString());
        Assert.Equal(Enumerable.Range(11, 100).Select(i => (long)i), (await socket.MessagesAsync(channel, 100)).Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Theory]
    [InlineData(1_000_000L)]
    [InlineData(999_999_999_999L)]
    public async Task WebSocketResumeAheadOfTheChannelIsRefusedWithPositionAheadAndTheCurrentSeq(long since)
    {
        var (channel, token) = await NewChannelAsync("ahead-ws");
        await PublishAsync(channel, 2);
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(0), token);

        var refused = await socket.SubscribeAsync(channel, since: since);

        AssertPositionAhead(refused, channel, 2);
        var ack = await socket.SubscribeAsync(channel, since: refused.GetProperty("seq").GetInt64());
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        await PublishAsync(channel, 3);
        Assert.Equal([3L, 4L, 5L], (await socket.MessagesAsync(channel, 3)).Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task WebSocketResumeBeyondTheLargestPositionIsMalformed()
    {
        var (channel, token) = await NewChannelAsync("too-far-ws");
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(0), token);

        var refused = await socket.SubscribeAsync(channel, since: 9_007_199_254_740_992);

        Assert.Equal("bad_json", refused.GetProperty("code").GetString());
    }

    [Fact]
    public async Task SseResumeAheadOfTheChannelGetsPositionAheadAndContinuesFromTheCurrentSeq()
    {
        var (channel, token) = await NewChannelAsync("ahead-sse");
        await PublishAsync(channel, 2);

        await using var sse = await SseStream.OpenAsync(cluster.Replica(1), token, channel, $"{channel}@1000000");

        var welcome = await sse.NextAsync();
        Assert.Equal("welcome", welcome.Event);
        var error = await sse.NextAsync();
        Assert.Equal("error", error.Event);
        AssertPositionAhead(error.Data, channel, 2);
        await PublishAsync(channel, 3);
        var messages = await sse.MessagesAsync(channel, 3);
        Assert.Equal([3L, 4L, 5L], messages.Select(e => e.Data.GetProperty("seq").GetInt64()));
        Assert.Equal($"{channel}@5", messages[^1].Id);
    }

    [Theory]
    [InlineData(1_000_000L)]
    [InlineData(999_999_999_999L)]
    public async Task LongPollCursorAheadOfTheChannelIsAnsweredAtOnceWithPositionAheadAndTheCurrentCursor(long ahead)
    {
        var (channel, token) = await NewChannelAsync("ahead-poll");
        await PublishAsync(channel, 2);
        using var poll = new PollClient(cluster.Replica(2), token, channel) { Cursor = $"{channel}@{ahead}" };

        var answered = poll.PollAsync();
        var events = await answered.WaitAsync(TimeSpan.FromSeconds(10));

        AssertPositionAhead(Assert.Single(events, e => e.GetProperty("type").GetString() == "error"), channel, 2);
        Assert.DoesNotContain(events, e => e.GetProperty("type").GetString() == "message");
        Assert.Equal($"{channel}@2", poll.Cursor);
        await PublishAsync(channel, 3);
        Assert.Equal([3L, 4L, 5L], (await poll.MessagesAsync(channel, 3, maxPolls: 5)).Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task LongPollCursorBeyondTheLargestPositionIsABadRequest()
    {
        var (channel, token) = await NewChannelAsync("too-far-poll");
        using var http = new HttpClient { BaseAddress = cluster.Replica(0) };

        using var response = await http.GetAsync($"/connect/poll?channels={channel}&access_token={token}&cursor={Uri.EscapeDataString($"{channel}@9007199254740992")}");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static void AssertPositionAhead(System.Text.Json.JsonElement error, string channel, long current)
    {
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("position_ahead", error.GetProperty("code").GetString());
        Assert.Equal(channel, error.GetProperty("channel").GetString());
        Assert.Equal(current, error.GetProperty("seq").GetInt64());
    }

    private async Task<(string Channel, string Token)> NewChannelAsync(string purpose) =>
        ($"chat:resume-{purpose}-{Guid.NewGuid():N}", await Tokens.ForAsync(cluster.Replica(0), $"user-{purpose}"));

    private async Task PublishAsync(string channel, int count)
    {
        var token = await Tokens.ForAsync(cluster.Replica(2), "resume-publisher");
        await using var publisher = await RealtimeSocket.ConnectAsync(cluster.Replica(2), token);
        for (var i = 0; i < count; i++)
        {
            var ack = await publisher.PublishAsync(channel, new { i });
            Assert.Equal("ack", ack.GetProperty("type").GetString());
        }
    }

    private static IEnumerable<long> Range(long from, int count) => Enumerable.Range(0, count).Select(i => from + i);
}

[Collection(nameof(ClusterCollection))]
public sealed class ResumeTests(ClusterTopology cluster) : ResumeScenarios(cluster);

[Collection(nameof(RedisClusterCollection))]
public sealed class ResumeOnRedisClusterTests(RedisClusterTopology cluster) : ResumeScenarios(cluster);
