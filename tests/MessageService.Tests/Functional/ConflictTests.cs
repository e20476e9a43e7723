using System.Net.Http.Json;
using System.Text.Json;

namespace RealtimeAspire.MessageService.Tests.Functional;

[Collection(nameof(MessageServiceCollection))]
public sealed class ConflictTests(MessageServiceFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ASecondMessageWithTheSameChannelAndSeqIsNotStoredButReportedAsAConflict()
    {
        var channel = MessageServiceFixture.NewPrefix("conflict");
        var conflictsBefore = await fixture.MetricAsync("realtime_messages_conflicts_total").WaitAsync(Timeout);

        await fixture.ProduceAsync([MessageServiceFixture.Envelope(channel, 1, msgId: $"{channel}-first")], Timeout).WaitAsync(Timeout);
        await fixture.ProduceAsync([MessageServiceFixture.Envelope(channel, 1, msgId: $"{channel}-second")], Timeout).WaitAsync(Timeout);
        using var client = fixture.CreateClient();
        // max-seq answers once the group has committed past both records: both have been processed.
        var answer = await client.GetFromJsonAsync<JsonElement>(new Uri($"/internal/channels/{channel}/max-seq", UriKind.Relative)).WaitAsync(Timeout);
        Assert.Equal(1, answer.GetProperty("maxSeq").GetInt64());

        var rows = await fixture.QueryMessagesAsync(channel).WaitAsync(Timeout);
        Assert.Equal($"{channel}-first", Assert.Single(rows).MsgId);
        await fixture.WaitUntilAsync(async () => await fixture.MetricAsync("realtime_messages_conflicts_total") > conflictsBefore, Timeout, "the conflict counted")
            .WaitAsync(Timeout);
        await fixture.Topology.Instance(MessageServiceFixture.ServiceName).WaitForLogAsync(
            line => line.Contains($"{channel}-second", StringComparison.Ordinal) && line.Contains("conflicts", StringComparison.Ordinal), Timeout, "the conflict");
    }
}
