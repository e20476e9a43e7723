using RealtimeAspire.ConnectionService.Tests.Clients;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>Invariant 3 through the whole system: a resume older than Redis history continues from Message.Service's history API.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class ResumeTests(PipelineFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AClientAwayLongerThanRedisHistoryResumesWithNoGapThroughTheHistoryApi()
    {
        // Namespace feed keeps 200 messages in Redis (Connection.Service's appsettings.json).
        const int published = 300, since = 10;
        var channel = PipelineFixture.NewPrefix("feed") + "away";
        Dictionary<long, Acked> acks;
        await using (var load = await LoadPublisher.ConnectAsync([.. fixture.Replicas.Select(r => new PublishPlan(r, channel, published / 3))]))
        {
            using var cts = new CancellationTokenSource(Timeout);
            await load.RunAsync(cts.Token).WaitAsync(Timeout);
            acks = load.Acks.ToDictionary(a => a.Seq);
        }
        Assert.Equal(Enumerable.Range(1, published).Select(s => (long)s), acks.Keys.Order());
        await fixture.WaitUntilAsync(async () => await fixture.CountPersistedAsync(channel) == published, Timeout, $"{published} rows of {channel}");
        var redis = await fixture.RedisAsync();
        Assert.Equal(200, await redis.SortedSetLengthAsync(RedisKeys.History(channel)).WaitAsync(Timeout));

        var token = await Tokens.ForAsync(fixture.Replicas[1], "returning-reader", ["feed:*"], ["feed:*"]).WaitAsync(Timeout);
        await using var socket = await RealtimeSocket.ConnectAsync(fixture.Replicas[1], token).WaitAsync(Timeout);
        var ack = await socket.SubscribeAsync(channel, since).WaitAsync(Timeout);
        Assert.Equal("ack", ack.GetProperty("type").GetString());

        var messages = await socket.MessagesAsync(channel, published - since, Timeout).WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(since + 1, published - since).Select(s => (long)s), messages.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.All(messages, m => Assert.Equal(acks[m.GetProperty("seq").GetInt64()].MsgId, m.GetProperty("msgId").GetString()));
        Assert.All(messages, m => Assert.Equal(acks[m.GetProperty("seq").GetInt64()].Key, m.GetProperty("data").GetProperty("key").GetString()));

        // Exactly once: the next message after the catch-up is the next one published, no repeat in between.
        var next = await socket.PublishAsync(channel, new { key = "after" }).WaitAsync(Timeout);
        Assert.Equal(published + 1, next.GetProperty("seq").GetInt64());
        var live = await socket.MessagesAsync(channel, 1, Timeout).WaitAsync(Timeout);
        Assert.Equal(published + 1, live[0].GetProperty("seq").GetInt64());
    }
}
