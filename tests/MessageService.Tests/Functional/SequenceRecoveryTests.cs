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
}
