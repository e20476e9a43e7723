using System.Globalization;
using RealtimeAspire.ConnectionService.Tests.Clients;
using RealtimeAspire.Testing;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>
/// <c>realtime.publish.stage.duration</c> splits a durable publish's time to ack into the Redis script and the Kafka
/// produce: one measurement of each per publish, on the replica that took it.
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class PublishStageMetricsTests(ClusterTopology cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ADurablePublishIsTimedInItsSequenceAndProduceStages()
    {
        var replica = cluster.Replica(0);
        using var http = new HttpClient { BaseAddress = replica };
        var before = await StageCountsAsync(http);
        await using var socket = await RealtimeSocket.ConnectAsync(replica, await Tokens.ForAsync(replica, "stages"));

        var ack = await socket.PublishAsync($"chat:stages-{Guid.NewGuid():N}", new { n = 1 });
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());

        // /metrics is a scrape the exporter may answer from a moment ago: wait for the publish to show.
        var now = before;
        await BoundedWait.UntilAsync(async () =>
        {
            now = await StageCountsAsync(http);
            return now.Sequence >= before.Sequence + 1 && now.Produce >= before.Produce + 1;
        }, Timeout, "a sequence and a produce measurement in realtime.publish.stage.duration",
            describe: () => Task.FromResult($"before {before}, now {now}"));
    }

    /// <summary>The histogram's counts by stage, summed over its series (0 before the first measurement).</summary>
    private static async Task<(double Sequence, double Produce)> StageCountsAsync(HttpClient http)
    {
        var lines = (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n')
            .Where(l => l.StartsWith("realtime_publish_stage_duration", StringComparison.Ordinal) && l.Contains("_count{", StringComparison.Ordinal))
            .ToList();
        return (Sum("sequence"), Sum("produce"));

        double Sum(string stage) => lines.Where(l => l.Contains($"stage=\"{stage}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
