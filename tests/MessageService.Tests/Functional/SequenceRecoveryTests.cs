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
    public async Task MaxSeqWithALossLongAgoAnswersWithoutWaitingAndCountsEveryAcknowledgedMessage()
    {
        const int n = 300;
        var channel = MessageServiceFixture.NewPrefix("seq");
        using var client = fixture.CreateClient();
        var lostAt = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();

        await fixture.ProduceAsync(Enumerable.Range(1, n).Select(s => MessageServiceFixture.Envelope(channel, s)), Timeout).WaitAsync(Timeout);
        var stopwatch = Stopwatch.StartNew();
        var answer = await client.GetFromJsonAsync<JsonElement>(new Uri($"/internal/channels/{channel}/max-seq?lostAt={lostAt}", UriKind.Relative)).WaitAsync(Timeout);

        // Still correct: it read the end offsets and waited for the consumers to commit through them.
        Assert.Equal(n, answer.GetProperty("maxSeq").GetInt64());
        // No delivery-timeout wait (the catch-up of 300 messages alone takes far less).
        Assert.True(stopwatch.Elapsed < MessageServiceFixture.ProducerDeliveryTimeout, $"answered after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task MaxSeqWithARecentLossWaitsUntilLostAtPlusDeliveryTimeoutPlusMargin()
    {
        const int n = 50;
        var channel = MessageServiceFixture.NewPrefix("seq");
        using var client = fixture.CreateClient();

        await fixture.ProduceAsync(Enumerable.Range(1, n).Select(s => MessageServiceFixture.Envelope(channel, s)), Timeout).WaitAsync(Timeout);
        var lost = DateTimeOffset.UtcNow.AddMilliseconds(-1500);
        var answer = await client.GetFromJsonAsync<JsonElement>(
            new Uri($"/internal/channels/{channel}/max-seq?lostAt={lost.ToUnixTimeMilliseconds()}", UriKind.Relative)).WaitAsync(Timeout);
        var answeredAt = DateTimeOffset.UtcNow;

        Assert.Equal(n, answer.GetProperty("maxSeq").GetInt64());
        // lostAt + 2 s delivery timeout + 1 s skew margin; same clock here, minus a little for timer granularity.
        var earliest = lost + MessageServiceFixture.ProducerDeliveryTimeout + TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(50);
        Assert.True(answeredAt >= earliest, $"answered {(earliest - answeredAt).TotalMilliseconds:0} ms too early");
    }

    [Fact]
    public async Task MaxSeqWithALostAtInTheFutureWaitsNoLongerThanWithoutIt()
    {
        var channel = MessageServiceFixture.NewPrefix("seq");
        using var client = fixture.CreateClient();
        await fixture.ProduceAsync([MessageServiceFixture.Envelope(channel, 1)], Timeout).WaitAsync(Timeout);
        var lostAt = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();

        var stopwatch = Stopwatch.StartNew();
        var answer = await client.GetFromJsonAsync<JsonElement>(new Uri($"/internal/channels/{channel}/max-seq?lostAt={lostAt}", UriKind.Relative)).WaitAsync(Timeout);

        Assert.Equal(1, answer.GetProperty("maxSeq").GetInt64());
        Assert.True(stopwatch.Elapsed >= MessageServiceFixture.ProducerDeliveryTimeout, $"answered after {stopwatch.Elapsed}");
        // Capped at the delivery timeout from the request, not an hour: far below the client's own timeout.
        Assert.True(stopwatch.Elapsed < MessageServiceFixture.ProducerDeliveryTimeout + MessageServiceFixture.CatchUpTimeout, $"answered after {stopwatch.Elapsed}");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    public async Task MaxSeqWithALostAtThatIsNotANonNegativeIntegerIsAValidationProblem(string lostAt)
    {
        using var client = fixture.CreateClient();
        var channel = MessageServiceFixture.NewPrefix("seq");

        using var response = await client.GetAsync(new Uri($"/internal/channels/{channel}/max-seq?lostAt={Uri.EscapeDataString(lostAt)}", UriKind.Relative)).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);
        Assert.True(problem.GetProperty("errors").TryGetProperty("lostAt", out _), problem.ToString());
    }

    [Fact]
    public async Task MaxSeqReportsEveryBadParameterAtOnce()
    {
        using var client = fixture.CreateClient();

        using var response = await client.GetAsync(new Uri("/internal/channels/no-namespace/max-seq?lostAt=x", UriKind.Relative)).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("channel", out _) && errors.TryGetProperty("lostAt", out _), errors.ToString());
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

    [Fact]
    public async Task AClaimOfANeverUsedChannelStartsItAtZeroAtOnceAndASecondClaimWaitsForTheRecovery()
    {
        using var client = fixture.CreateClient();
        var channel = MessageServiceFixture.NewPrefix("claim");
        var newBefore = await fixture.MetricAsync("realtime_sequence_claims_total", "outcome=\"new\"");

        var stopwatch = Stopwatch.StartNew();
        var first = await ClaimAsync(client, channel);
        var firstTook = stopwatch.Elapsed;
        stopwatch.Restart();
        var second = await ClaimAsync(client, channel);

        Assert.Equal((0L, true), (first.GetProperty("maxSeq").GetInt64(), first.GetProperty("new").GetBoolean()));
        // The row it wrote is the proof that nothing was ever numbered for the channel: no wait for deliveries.
        Assert.True(firstTook < MessageServiceFixture.ProducerDeliveryTimeout, $"a new channel's claim answered after {firstTook}");
        // Claimed once, the channel is no longer new: a missing counter then means Redis lost it, so the answer
        // waits out the delivery timeout like max-seq.
        Assert.Equal((0L, false), (second.GetProperty("maxSeq").GetInt64(), second.GetProperty("new").GetBoolean()));
        Assert.True(stopwatch.Elapsed >= MessageServiceFixture.ProducerDeliveryTimeout, $"the second claim answered after {stopwatch.Elapsed}");
        Assert.True(await fixture.MetricAsync("realtime_sequence_claims_total", "outcome=\"new\"") > newBefore);
    }

    [Fact]
    public async Task AClaimOfAChannelWithPersistedMessagesRecoversItsHighestSequence()
    {
        const int n = 40;
        using var client = fixture.CreateClient();
        var channel = MessageServiceFixture.NewPrefix("claim");
        await fixture.ProduceAsync(Enumerable.Range(1, n).Select(s => MessageServiceFixture.Envelope(channel, s)), Timeout).WaitAsync(Timeout);
        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(channel) == n, Timeout, $"{n} rows of {channel}");

        var answer = await ClaimAsync(client, channel);

        Assert.Equal((n, false), (answer.GetProperty("maxSeq").GetInt64(), answer.GetProperty("new").GetBoolean()));
    }

    [Fact]
    public async Task AClaimWithBadParametersIsAValidationProblemNamingEach()
    {
        using var client = fixture.CreateClient();

        using var response = await client.PostAsync(new Uri("/internal/channels/no-namespace/claim?lostAt=x", UriKind.Relative), content: null).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("channel", out _) && errors.TryGetProperty("lostAt", out _), errors.ToString());
    }

    private static async Task<JsonElement> ClaimAsync(HttpClient client, string channel)
    {
        using var response = await client.PostAsync(new Uri($"/internal/channels/{channel}/claim", UriKind.Relative), content: null).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);
    }
}
