using System.Globalization;

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>
/// <c>realtime.publish.stage.duration</c> tells a publish that had to claim its channel's counter from Message.Service
/// (<c>claim_and_sequence</c>) apart from one whose counter Redis held (<c>sequence</c>), so the claim's share of the
/// time to ack can be read apart from the publish script's.
/// </summary>
[Collection(nameof(PipelineCollection))]
public sealed class PublishStageTests(PipelineFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ANewChannelsFirstPublishIsTimedAsClaimAndSequenceAndTheNextAsSequence()
    {
        var replica = fixture.Replicas[0];
        var claimedBefore = await StageCountAsync(replica, "claim_and_sequence");
        var sequencedBefore = await StageCountAsync(replica, "sequence");

        var channel = $"{PipelineFixture.NewPrefix("chat")}stages";
        // One after the other: a second publish sent while the first one's claim is under way would wait for it too.
        await PublishOnceAsync(replica, channel);
        await PublishOnceAsync(replica, channel);

        // /metrics is a scrape the exporter may answer from a moment ago: wait for both publishes to show.
        await fixture.WaitUntilAsync(async () => await StageCountAsync(replica, "claim_and_sequence") >= claimedBefore + 1
                && await StageCountAsync(replica, "sequence") >= sequencedBefore + 1,
            Timeout, "the first publish under claim_and_sequence and the second under sequence",
            async () => $"claim_and_sequence {await StageCountAsync(replica, "claim_and_sequence")} (was {claimedBefore}), sequence {await StageCountAsync(replica, "sequence")} (was {sequencedBefore})");
    }

    private static async Task PublishOnceAsync(Uri replica, string channel)
    {
        await using var load = await LoadPublisher.ConnectAsync([new PublishPlan(replica, channel, 1)]);
        using var cts = new CancellationTokenSource(Timeout);
        await load.RunAsync(cts.Token).WaitAsync(Timeout);
        Assert.Single(load.Acks);
    }

    /// <summary>The replica's <c>realtime.publish.stage.duration</c> count for one stage (0 before its first measurement).</summary>
    private static async Task<double> StageCountAsync(Uri replica, string stage)
    {
        using var client = new HttpClient { BaseAddress = replica };
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WaitAsync(TimeSpan.FromSeconds(30));
        return text.Split('\n')
            .Where(l => l.StartsWith("realtime_publish_stage_duration", StringComparison.Ordinal) && l.Contains("_count{", StringComparison.Ordinal)
                && l.Contains($"stage=\"{stage}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
