using Xunit.Abstractions;

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>
/// Invariant 2 through the whole system: Redis loses every counter in the middle of a load; Connection.Service
/// re-initialises each through Message.Service's claim and no sequence number is handed out twice; a channel never
/// used starts at once.
/// </summary>
[Collection(nameof(PipelineCollection))]
public sealed class SequenceRecoveryTests(PipelineFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan PersistTimeout = TimeSpan.FromSeconds(120);
    // Message.Service's MessageService:SequenceRecovery:ProducerDeliveryTimeout in the AppHost: its default.
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task FlushallDuringALoadReusesNoSequenceNumberAndLosesNoAcknowledgedMessage()
    {
        const int channels = 10, perChannel = 200, connectionsPerChannel = 3;
        var prefix = PipelineFixture.NewPrefix("chat");
        var plans = Enumerable.Range(0, channels).SelectMany(c => Enumerable.Range(0, connectionsPerChannel).Select(r =>
            new PublishPlan(fixture.Replicas[r], $"{prefix}{c:00}", perChannel / connectionsPerChannel + (r < perChannel % connectionsPerChannel ? 1 : 0)))).ToList();
        await using var load = await LoadPublisher.ConnectAsync(plans, ratePerSecond: 20);
        Assert.Equal(channels * perChannel, load.Total);
        var redis = await fixture.RedisServerAsync();

        using var cts = new CancellationTokenSource(LoadTimeout);
        var running = load.RunAsync(cts.Token);
        await load.WaitForAcksAsync(load.Total / 2, running, LoadTimeout);
        var maxBeforeFlush = load.Acks.GroupBy(a => a.Channel).ToDictionary(g => g.Key, g => g.Max(a => a.Seq));
        var flushedAt = DateTime.UtcNow;
        output.WriteLine($"FLUSHALL at {flushedAt:HH:mm:ss.fff}");
        await redis.FlushAllDatabasesAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var ackedAtFlush = load.AckedCount;
        await running.WaitAsync(LoadTimeout);

        var (acks, rows) = await EveryAckPersistedAsync(load, prefix);
        var lost = await fixture.CountLostAsync(prefix);
        // Publishes stall while each counter is recovered (max-seq waits until lostAt + delivery timeout + margin).
        var stall = acks.Where(a => a.At >= flushedAt).Select(a => a.At).Order().Prepend(flushedAt)
            .Zip(acks.Where(a => a.At >= flushedAt).Select(a => a.At).Order(), (before, after) => after - before).DefaultIfEmpty().Max();
        output.WriteLine($"FLUSHALL at {ackedAtFlush} of {load.Total} acks; longest pause between acks after it {stall.TotalSeconds:0.0} s; " +
            $"{acks.Count} acked, {rows.Count} rows, {lost} recorded lost; " +
            $"refusals: {load.RateLimited} rate_limited, {load.PublishFailed} publish_failed");

        PipelineAssert.EveryAckIsPersistedOnce(acks, rows);
        // Every number acknowledged before the flush stays taken: numbers handed out after it are above them.
        Assert.All(maxBeforeFlush, kv => Assert.True(acks.Where(a => a.Channel == kv.Key).Max(a => a.Seq) >= kv.Value));
        Assert.Equal(0, load.PublishFailed);
        Assert.Equal(acks.Count, rows.Count);
        Assert.Equal(0, lost);
        PipelineAssert.SequencesAreContiguous(rows);

        // What the flush took is back: the epoch marker of each channel's slot, and every channel's counter at its last number.
        var database = await fixture.RedisAsync();
        foreach (var channel in rows.GroupBy(r => r.Channel))
        {
            Assert.True(await database.KeyExistsAsync(Contracts.RedisKeys.Epoch(channel.Key)).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(channel.Max(r => r.Seq), (long)await database.StringGetAsync(Contracts.RedisKeys.Sequence(channel.Key)).WaitAsync(TimeSpan.FromSeconds(10)));
        }
        await fixture.Topology.WaitForAllHealthyAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task AFirstPublishOnANewChannelStartsAtOneWithoutWaitingForTheRecovery()
    {
        var channel = PipelineFixture.NewPrefix("chat") + "new";
        await using var load = await LoadPublisher.ConnectAsync([new PublishPlan(fixture.Replicas[0], channel, 3)]);
        var started = DateTime.UtcNow;
        using var cts = new CancellationTokenSource(LoadTimeout);
        await load.RunAsync(cts.Token).WaitAsync(LoadTimeout);

        var acks = load.Acks.OrderBy(a => a.Seq).ToList();
        output.WriteLine($"first ack {(acks[0].At - started).TotalMilliseconds:0} ms after the publish");
        Assert.Equal([1L, 2L, 3L], acks.Select(a => a.Seq));
        // Message.Service's claim told "never used" from "Redis lost it": a lost counter's recovery waits out the
        // producers' delivery timeout (5 s) before it reads anything, so an ack sooner shows it was not taken.
        Assert.True(acks[0].At - started < DeliveryTimeout, $"first ack after {(acks[0].At - started).TotalMilliseconds:0} ms");
        await fixture.Topology.Instance("connection-service-0").WaitForLogAsync(
            l => l.Contains($"Sequence of {channel} recovered at 0 (new channel: True", StringComparison.Ordinal), LoadTimeout, "the new channel's claim");
    }

    [Fact]
    public async Task ASecondFlushallWhileCountersAreBeingRecoveredReusesNoSequenceNumber()
    {
        const int channels = 10, perConnection = 40, connectionsPerChannel = 3;
        var prefix = PipelineFixture.NewPrefix("chat");
        var names = Enumerable.Range(0, channels).Select(c => $"{prefix}{c:00}").ToList();
        var plans = names.SelectMany(channel => Enumerable.Range(0, connectionsPerChannel).Select(r => new PublishPlan(fixture.Replicas[r], channel, perConnection))).ToList();
        await using var load = await LoadPublisher.ConnectAsync(plans, ratePerSecond: 20);
        var redis = await fixture.RedisServerAsync();
        var database = await fixture.RedisAsync();

        using var cts = new CancellationTokenSource(LoadTimeout);
        var running = load.RunAsync(cts.Token);
        await load.WaitForAcksAsync(load.Total / 3, running, LoadTimeout);
        await redis.FlushAllDatabasesAsync().WaitAsync(TimeSpan.FromSeconds(10));
        // The first counter re-initialised after the flush: the three replicas recover each channel concurrently,
        // so others' answers (read before the next flush) are likely still on their way to Redis.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var keys = names.Select(n => (StackExchange.Redis.RedisKey)Contracts.RedisKeys.Sequence(n)).ToArray();
        while (await database.KeyExistsAsync(keys).WaitAsync(TimeSpan.FromSeconds(10)) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "No counter was re-initialised within 60 s of the flush.");
            await Task.Delay(2);
        }
        await redis.FlushAllDatabasesAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await running.WaitAsync(LoadTimeout);

        var (acks, rows) = await EveryAckPersistedAsync(load, prefix);
        output.WriteLine($"{acks.Count} acked, {rows.Count} rows; refusals: {load.RateLimited} rate_limited, {load.PublishFailed} publish_failed");
        PipelineAssert.EveryAckIsPersistedOnce(acks, rows);
        Assert.Equal(0, load.PublishFailed);
        Assert.Equal(acks.Count, rows.Count);
        PipelineAssert.SequencesAreContiguous(rows);
        await fixture.Topology.WaitForAllHealthyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// The acks, unique (decided by the acks alone, before anything is persisted), and the rows once there are as
    /// many; the recovery log is written either way.
    /// </summary>
    private async Task<(List<Acked> Acks, List<PersistedRow> Rows)> EveryAckPersistedAsync(LoadPublisher load, string prefix)
    {
        var acks = load.Acks.ToList();
        try
        {
            PipelineAssert.AcksAreUnique(acks);
            await fixture.WaitUntilAsync(async () => await fixture.CountPersistedAsync(prefix) >= acks.Count, PersistTimeout,
                $"{acks.Count} rows", async () => $"{await fixture.CountPersistedAsync(prefix)} rows.");
        }
        finally
        {
            WriteRecoveryLog(prefix);
        }
        return (acks, await fixture.PersistedAsync(prefix));
    }

    /// <summary>
    /// The replicas' own account (event 111): when each counter was re-initialised and to what; and any conflict
    /// Message.Service saw (two messages under one number).
    /// </summary>
    private void WriteRecoveryLog(string prefix)
    {
        foreach (var instance in fixture.Replicas.Select((_, i) => fixture.Topology.Instance($"connection-service-{i}")).Append(fixture.Topology.Instance(PipelineFixture.MessageServiceName)))
        {
            foreach (var line in instance.Logs.Tail(2000).Where(l => l.Contains(prefix, StringComparison.Ordinal)
                && (l.Contains("recovered", StringComparison.Ordinal) || l.Contains("conflicts", StringComparison.Ordinal))).Take(60))
            {
                output.WriteLine($"[{instance.Name}] {line}");
            }
        }
    }
}
