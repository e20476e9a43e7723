using RealtimeAspire.ConnectionService.Tests.Clients;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>Design invariant 3: a reconnecting client gets every missed message exactly once, in order — on any transport and any replica.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class ResumeTests(ClusterTopology cluster)
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
