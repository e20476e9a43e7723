using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RealtimeAspire.MessageService.Tests.Functional;

[Collection(nameof(MessageServiceCollection))]
public sealed class SequenceRecoveryTests(MessageServiceFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task MaxSeqRequestedRightAfterProducingCountsEveryAcknowledgedMessage()
    {
        const int n = 300;
        var channel = MessageServiceFixture.NewPrefix("seq");
        using var client = fixture.CreateClient();

        await fixture.ProduceAsync(Enumerable.Range(1, n).Select(s => MessageServiceFixture.Envelope(channel, s)), Timeout).WaitAsync(Timeout);
        var stopwatch = Stopwatch.StartNew();
        var answer = await client.GetFromJsonAsync<JsonElement>(new Uri($"/internal/channels/{channel}/max-seq", UriKind.Relative)).WaitAsync(Timeout);

        Assert.Equal(channel, answer.GetProperty("channel").GetString());
        Assert.Equal(n, answer.GetProperty("maxSeq").GetInt64());
        // It waited out the producers' delivery timeout before reading the end offsets.
        Assert.True(stopwatch.Elapsed >= MessageServiceFixture.ProducerDeliveryTimeout, $"answered after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task MaxSeqOfAChannelNeverSeenIsZero()
    {
        using var client = fixture.CreateClient();
        var channel = MessageServiceFixture.NewPrefix("never");

        var answer = await client.GetFromJsonAsync<JsonElement>(new Uri($"/internal/channels/{channel}/max-seq", UriKind.Relative)).WaitAsync(Timeout);

        Assert.Equal(0, answer.GetProperty("maxSeq").GetInt64());
    }

    [Fact]
    public async Task MaxSeqOfAnInvalidChannelNameIsAProblem()
    {
        using var client = fixture.CreateClient();

        using var response = await client.GetAsync(new Uri("/internal/channels/no-namespace/max-seq", UriKind.Relative)).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
