using System.Globalization;
using RealtimeAspire.Contracts;
using Xunit.Abstractions;

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>
/// Invariant 2 through the whole system when first publishes are claimed in batches: two replicas open many new
/// channels at once, beside a channel whose counter Redis lost; every channel is numbered from 1 without a hole or
/// a number handed out twice, and the lost one continues above what it had.
/// </summary>
[Collection(nameof(PipelineCollection))]
public sealed class ClaimBatchTests(PipelineFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan PersistTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ConcurrentFirstPublishesFromTwoReplicasAreBatchedAndNumberEveryChannelFromOneWithoutReuse()
    {
        const int newChannels = 40, perConnection = 5, lostBefore = 4;
        var prefix = PipelineFixture.NewPrefix("chat");
        var lost = $"{prefix}lost";
        var database = await fixture.RedisAsync();
        // The known channel: claimed and numbered by replica 2, persisted, then its counter is lost (the row stays).
        await using (var warm = await LoadPublisher.ConnectAsync([new PublishPlan(fixture.Replicas[2], lost, lostBefore)]))
        {
            using var warmCts = new CancellationTokenSource(LoadTimeout);
            await warm.RunAsync(warmCts.Token).WaitAsync(LoadTimeout);
        }
        await fixture.WaitUntilAsync(async () => await fixture.CountPersistedAsync(lost) == lostBefore, PersistTimeout, $"{lostBefore} rows of {lost}");
        Assert.True(await database.KeyDeleteAsync(RedisKeys.Sequence(lost)).WaitAsync(TimeSpan.FromSeconds(10)));
        var batchesBefore = await BatchMetricAsync("count");
        var namedBefore = await BatchMetricAsync("sum");

        var channels = Enumerable.Range(0, newChannels).Select(c => $"{prefix}{c:00}").Append(lost).ToList();
        var plans = channels.SelectMany(channel => new[] { 0, 1 }.Select(r => new PublishPlan(fixture.Replicas[r], channel, perConnection))).ToList();
        await using var load = await LoadPublisher.ConnectAsync(plans);
        using var cts = new CancellationTokenSource(LoadTimeout);
        await load.RunAsync(cts.Token).WaitAsync(LoadTimeout);

        var acks = load.Acks.ToList();
        PipelineAssert.AcksAreUnique(acks);
        await fixture.WaitUntilAsync(async () => await fixture.CountPersistedAsync(prefix) >= acks.Count + lostBefore, PersistTimeout,
            $"{acks.Count + lostBefore} rows", async () => $"{await fixture.CountPersistedAsync(prefix)} rows.");
        var rows = await fixture.PersistedAsync(prefix);
        // /metrics is a scrape that may be a moment old (the exporter caches its answer): wait until the claims show.
        await fixture.WaitUntilAsync(async () => await BatchMetricAsync("sum") - namedBefore >= channels.Count, TimeSpan.FromSeconds(30),
            $"the batches to name all {channels.Count} channels");
        var batches = await BatchMetricAsync("count") - batchesBefore;
        var named = await BatchMetricAsync("sum") - namedBefore;
        output.WriteLine($"{acks.Count} acked, {rows.Count} rows; {load.PublishFailed} publish_failed; {batches} batch claims naming {named} channels");

        Assert.Equal(0, load.PublishFailed);
        PipelineAssert.EveryAckIsPersistedOnce(acks, rows);
        PipelineAssert.SequencesAreContiguous(rows);
        Assert.All(channels.Where(c => c != lost), c => Assert.Equal(2 * perConnection, rows.Where(r => r.Channel == c).Max(r => r.Seq)));
        // The lost counter was recovered, not restarted: every number after the loss is above the ones it had.
        Assert.All(acks.Where(a => a.Channel == lost), a => Assert.True(a.Seq > lostBefore, $"{lost}@{a.Seq} handed out again"));
        Assert.Equal(lostBefore + 2 * perConnection, rows.Where(r => r.Channel == lost).Max(r => r.Seq));
        // Every first publish's claim went through a batch (each replica names each of its channels once), and the
        // bursts were coalesced: fewer requests than channels named.
        Assert.True(named >= channels.Count, $"the batches named {named} channels");
        Assert.True(batches < named, $"{batches} batch claims for {named} channels");
        // The replica that set the lost counter set it at the highest number persisted before the loss.
        await fixture.WaitUntilAsync(() => Task.FromResult(new[] { 0, 1 }.Any(r => fixture.Topology.Instance($"connection-service-{r}").Logs.Tail(int.MaxValue)
            .Any(l => l.Contains($"Sequence of {lost} recovered at {lostBefore} (new channel: False", StringComparison.Ordinal)))),
            TimeSpan.FromSeconds(30), $"replica 0 or 1 to log the recovery of {lost} at {lostBefore}");
    }

    /// <summary>Replicas 0 and 1's <c>realtime.sequence.claim.batch.size</c> histogram: its count (batches) or sum (channels named).</summary>
    private async Task<double> BatchMetricAsync(string part)
    {
        var name = $"realtime_sequence_claim_batch_size_{part}";
        var total = 0.0;
        foreach (var replica in fixture.Replicas.Take(2))
        {
            using var client = new HttpClient { BaseAddress = replica };
            var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WaitAsync(TimeSpan.FromSeconds(30));
            total += text.Split('\n')
                .Where(line => line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{')
                .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        }
        return total;
    }
}
