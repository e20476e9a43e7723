using System.Diagnostics;
using Xunit.Abstractions;

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>Invariant 1 (durable ack) through the whole system: WebSocket → Connection.Service ×3 → Kafka → Message.Service → PostgreSQL.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class DurabilityTests(PipelineFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan PersistTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task TenThousandMessagesOverTwentyChannelsArePersistedExactlyOnceWithContiguousSequences()
    {
        const int channels = 20, perChannel = 500, connectionsPerChannel = 3;
        var prefix = PipelineFixture.NewPrefix("chat");
        // Three connections per channel, one on each replica: every channel is sequenced from all three at once.
        var plans = Enumerable.Range(0, channels).SelectMany(c => Enumerable.Range(0, connectionsPerChannel).Select(r =>
            new PublishPlan(fixture.Replicas[r], $"{prefix}{c:00}", perChannel / connectionsPerChannel + (r < perChannel % connectionsPerChannel ? 1 : 0)))).ToList();
        await using var load = await LoadPublisher.ConnectAsync(plans);
        Assert.Equal(channels * perChannel, load.Total);

        using var cts = new CancellationTokenSource(LoadTimeout);
        var stopwatch = Stopwatch.StartNew();
        await load.RunAsync(cts.Token).WaitAsync(LoadTimeout);
        var published = stopwatch.Elapsed;
        await fixture.WaitUntilAsync(async () => await fixture.CountPersistedAsync(prefix) >= load.Total, PersistTimeout,
            $"{load.Total} rows", async () => $"{await fixture.CountPersistedAsync(prefix)} rows.");
        var persisted = stopwatch.Elapsed;

        var acks = load.Acks.ToList();
        var rows = await fixture.PersistedAsync(prefix);
        output.WriteLine($"{acks.Count} acked in {published.TotalSeconds:0.0} s ({acks.Count / published.TotalSeconds:0}/s over {plans.Count} connections), " +
            $"all persisted after {persisted.TotalSeconds:0.0} s; refusals: {load.RateLimited} rate_limited, {load.PublishFailed} publish_failed");
        Assert.Equal(0, load.PublishFailed);
        Assert.Equal(channels * perChannel, acks.Count);
        PipelineAssert.AcksAreUnique(acks);
        Assert.Equal(channels * perChannel, rows.Count);
        PipelineAssert.EveryAckIsPersistedOnce(acks, rows);
        PipelineAssert.SequencesAreContiguous(rows);
        Assert.Equal(channels, rows.Select(r => r.Channel).Distinct().Count());
        Assert.All(rows.GroupBy(r => r.Channel), g => Assert.Equal(perChannel, g.Count()));
        Assert.DoesNotContain(rows, r => r.Repaired);
    }

    [Fact]
    public async Task EveryAcknowledgedMessageIsPersistedOnceWhenMessageServiceIsKilledDuringTheLoad()
    {
        const int channels = 10, perConnection = 100, connectionsPerChannel = 3;
        var prefix = PipelineFixture.NewPrefix("chat");
        var plans = Enumerable.Range(0, channels).SelectMany(c => Enumerable.Range(0, connectionsPerChannel).Select(r =>
            new PublishPlan(fixture.Replicas[r], $"{prefix}{c:00}", perConnection))).ToList();
        // Each channel's first message before the kill: a new channel's counter is initialised by asking
        // Message.Service, which is what is being killed (that refusal is not what this test is about).
        List<Acked> warmUpAcks;
        await using (var warmUp = await LoadPublisher.ConnectAsync([.. Enumerable.Range(0, channels).Select(c => new PublishPlan(fixture.Replicas[c % 3], $"{prefix}{c:00}", 1))]))
        {
            using var warmUpCts = new CancellationTokenSource(LoadTimeout);
            await warmUp.RunAsync(warmUpCts.Token).WaitAsync(LoadTimeout);
            warmUpAcks = [.. warmUp.Acks];
        }
        await using var load = await LoadPublisher.ConnectAsync(plans, ratePerSecond: 20);
        var restartsBefore = fixture.Topology.Instance(PipelineFixture.MessageServiceName).Restarts;

        using var cts = new CancellationTokenSource(LoadTimeout);
        var running = load.RunAsync(cts.Token);
        await load.WaitForAcksAsync(load.Total / 3, running, LoadTimeout);
        var killedPid = fixture.Topology.Kill(PipelineFixture.MessageServiceName);
        var ackedAtKill = load.AckedCount;
        await running.WaitAsync(LoadTimeout);
        await fixture.Topology.WaitAsync(() => fixture.Topology.Instance(PipelineFixture.MessageServiceName) is { Restarts: var r, ProcessId: var pid } instance
                && r > restartsBefore && pid != killedPid && instance.IsHealthy,
            TimeSpan.FromSeconds(120), "message-service restarted and healthy", PipelineFixture.MessageServiceName);

        var acks = load.Acks.Concat(warmUpAcks).ToList();
        await fixture.WaitUntilAsync(async () => await fixture.CountPersistedAsync(prefix) >= acks.Count, PersistTimeout,
            $"{acks.Count} rows", async () => $"{await fixture.CountPersistedAsync(prefix)} rows.");
        var rows = await fixture.PersistedAsync(prefix);
        output.WriteLine($"killed pid {killedPid} at {ackedAtKill} of {load.Total} acks; {acks.Count} acked in all, {rows.Count} rows; " +
            $"refusals: {load.RateLimited} rate_limited, {load.PublishFailed} publish_failed");

        Assert.Equal(0, load.PublishFailed);
        PipelineAssert.AcksAreUnique(acks);
        Assert.Equal(acks.Count, rows.Count);
        PipelineAssert.EveryAckIsPersistedOnce(acks, rows);
        PipelineAssert.SequencesAreContiguous(rows);
    }
}
