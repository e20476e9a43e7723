using System.Text;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.MessageService.Tests.Functional;

[Collection(nameof(MessageServiceCollection))]
public sealed class GapRepairTests(MessageServiceFixture fixture)
{
    private static readonly TimeSpan Timeout = MessageServiceFixture.GracePeriod + TimeSpan.FromSeconds(30);

    /// <summary>What Connection.Service's publish script does for one message: INCR the sequence, ZADD the frame.</summary>
    private async Task PublishToRedisAsync(string channel, long seq)
    {
        var next = await fixture.Redis.StringIncrementAsync(RedisKeys.Sequence(channel)).WaitAsync(Timeout);
        Assert.Equal(seq, next);
        var envelope = MessageServiceFixture.Envelope(channel, seq, data: $$"""{"text":"hello {{seq}}","tags":["a","b"]}""");
        var frame = $$"""{"type":"message","channel":"{{channel}}","msgId":"{{envelope.MsgId}}","from":"{{envelope.From}}","ts":{{envelope.Ts}},"data":{{envelope.Data.GetRawText()}},"seq":{{seq}}}""";
        await fixture.Redis.SortedSetAddAsync(RedisKeys.History(channel), Encoding.UTF8.GetBytes(frame), seq).WaitAsync(Timeout);
    }

    [Fact]
    public async Task AMessageFannedOutButNeverProducedIsRepairedFromRedisHistory()
    {
        var channel = MessageServiceFixture.NewPrefix("gap");
        for (var seq = 1; seq <= 4; seq++)
        {
            await PublishToRedisAsync(channel, seq);
        }
        // The publisher of seq 3 died after its Redis script: Kafka never sees it.
        await fixture.ProduceAsync(new long[] { 1, 2, 4 }.Select(s => MessageServiceFixture.Envelope(channel, s, data: $$"""{"text":"hello {{s}}","tags":["a","b"]}""")), Timeout).WaitAsync(Timeout);

        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(channel) == 4, Timeout, "seq 3 repaired").WaitAsync(Timeout);

        var rows = await fixture.QueryMessagesAsync(channel).WaitAsync(Timeout);
        Assert.Equal([1L, 2, 3, 4], rows.Select(r => r.Seq));
        Assert.Equal([false, false, true, false], rows.Select(r => r.Repaired));
        Assert.Equal($"{channel}#3", rows[2].MsgId);
        var data = await fixture.QueryScalarAsync<string>("SELECT data::text FROM messages WHERE channel = @c AND seq = 3", ("c", channel)).WaitAsync(Timeout);
        Assert.Equal("""{"text":"hello 3","tags":["a","b"]}""", data);
    }

    [Fact]
    public async Task AGapThatRedisNoLongerHoldsIsRecordedAsLost()
    {
        var channel = MessageServiceFixture.NewPrefix("lost");
        // Redis history trimmed or expired: nothing there to repair from.
        await fixture.ProduceAsync(new long[] { 1, 2, 4 }.Select(s => MessageServiceFixture.Envelope(channel, s)), Timeout).WaitAsync(Timeout);

        await fixture.WaitUntilAsync(
            async () => await fixture.QueryScalarAsync<long>("SELECT count(*) FROM lost_messages WHERE channel = @c AND seq = 3", ("c", channel)) == 1,
            Timeout, "seq 3 recorded lost").WaitAsync(Timeout);

        Assert.Equal(3, await fixture.CountAsync(channel).WaitAsync(Timeout));
        await fixture.Topology.Instance(MessageServiceFixture.ServiceName).WaitForLogAsync(
            line => line.Contains(channel, StringComparison.Ordinal) && line.Contains("lost", StringComparison.Ordinal), Timeout, "seq 3 lost");
        // The sequence is complete from the checker's point of view (3 is accounted for as lost).
        await fixture.WaitUntilAsync(
            async () => await fixture.QueryScalarAsync<long>("SELECT checked_seq FROM channels WHERE channel = @c", ("c", channel)) == 4,
            Timeout, "checked_seq advanced past the lost message").WaitAsync(Timeout);
    }

    [Fact]
    public async Task TheLastMessagesOfAQuietChannelThatKafkaLostAreRepairedFromRedisHistory()
    {
        var channel = MessageServiceFixture.NewPrefix("tail");
        for (var seq = 1; seq <= 5; seq++)
        {
            await PublishToRedisAsync(channel, seq);
        }
        // 4 and 5 were acknowledged by a broker that then restarted empty, and nothing is published after them:
        // no later number reveals the hole (issue #15, defect 8).
        await fixture.ProduceAsync(new long[] { 1, 2, 3 }.Select(s => MessageServiceFixture.Envelope(channel, s, data: $$"""{"text":"hello {{s}}","tags":["a","b"]}""")), Timeout).WaitAsync(Timeout);

        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(channel) == 5, Timeout, "the tail 4..5 repaired").WaitAsync(Timeout);

        var rows = await fixture.QueryMessagesAsync(channel).WaitAsync(Timeout);
        Assert.Equal([1L, 2, 3, 4, 5], rows.Select(r => r.Seq));
        Assert.Equal([false, false, false, true, true], rows.Select(r => r.Repaired));
        Assert.Equal($"{channel}#5", rows[4].MsgId);
        await fixture.Topology.Instance(MessageServiceFixture.ServiceName).WaitForLogAsync(
            line => line.Contains(channel, StringComparison.Ordinal) && line.Contains("repairing the tail", StringComparison.Ordinal), Timeout, "the tail repair");
        Assert.Equal(5, await fixture.QueryScalarAsync<long>("SELECT max_seq FROM channels WHERE channel = @c", ("c", channel)).WaitAsync(Timeout));
    }

    [Fact]
    public async Task ATailThatRedisNoLongerHoldsIsRecordedAsLost()
    {
        var channel = MessageServiceFixture.NewPrefix("taillost");
        await fixture.ProduceAsync(new long[] { 1, 2 }.Select(s => MessageServiceFixture.Envelope(channel, s)), Timeout).WaitAsync(Timeout);
        // The counter says 4 were handed out; the history holds none of them (trimmed, expired).
        await fixture.Redis.StringSetAsync(RedisKeys.Sequence(channel), 4).WaitAsync(Timeout);

        await fixture.WaitUntilAsync(
            async () => await fixture.QueryScalarAsync<long>("SELECT count(*) FROM lost_messages WHERE channel = @c AND seq IN (3, 4)", ("c", channel)) == 2,
            Timeout, "3 and 4 recorded lost").WaitAsync(Timeout);
        await fixture.Topology.Instance(MessageServiceFixture.ServiceName).WaitForLogAsync(
            line => line.Contains(channel, StringComparison.Ordinal) && line.Contains("lost", StringComparison.Ordinal), Timeout, "the tail lost");
        Assert.Equal(2, await fixture.CountAsync(channel).WaitAsync(Timeout));
    }
}
