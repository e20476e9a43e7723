using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RealtimeAspire.MessageService.Tests.Functional;

/// <summary>
/// <c>POST /internal/channels/claims</c>: many channels claimed in one statement; every row it wrote is a new channel,
/// every channel already there is answered known (to be claimed alone, on the safe path).
/// </summary>
[Collection(nameof(MessageServiceCollection))]
public sealed class ClaimBatchTests(MessageServiceFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AMixedBatchStartsItsNewChannelsAtOnceAndAnswersTheKnownOnesKnown()
    {
        using var client = fixture.CreateClient();
        var prefix = MessageServiceFixture.NewPrefix("claim");
        var claimedBefore = $"{prefix}-claimed";
        var persisted = $"{prefix}-persisted";
        var fresh = Enumerable.Range(0, 20).Select(i => $"{prefix}-new{i:00}").ToList();
        using (var single = await client.PostAsync(new Uri($"/internal/channels/{claimedBefore}/claim", UriKind.Relative), content: null).WaitAsync(Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        }
        // A channel whose messages are persisted by the batch writer without a claim (a counter created before the
        // claim existed): its row is there, so it is known too.
        await fixture.ProduceAsync(Enumerable.Range(1, 3).Select(s => MessageServiceFixture.Envelope(persisted, s)), Timeout).WaitAsync(Timeout);
        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(persisted) == 3, Timeout, $"3 rows of {persisted}");
        var batchesBefore = await fixture.MetricAsync("realtime_sequence_claim_batch_size_count");
        var newBefore = await fixture.MetricAsync("realtime_sequence_claims_total", "outcome=\"new\"");

        var answer = await ClaimBatchAsync(client, [claimedBefore, .. fresh, persisted, fresh[0]]);

        Assert.Equal(fresh.Order(StringComparer.Ordinal), Strings(answer, "new").Order(StringComparer.Ordinal));
        Assert.Equal([claimedBefore, persisted], Strings(answer, "known").Order(StringComparer.Ordinal));
        // A known channel is not recovered here: the batch gives it no number to start from.
        Assert.False(answer.TryGetProperty("maxSeq", out _), answer.ToString());
        // /metrics is a scrape that may be a moment old (the exporter caches its answer): wait for the batch to show.
        await fixture.WaitUntilAsync(async () => await fixture.MetricAsync("realtime_sequence_claim_batch_size_count") >= batchesBefore + 1,
            Timeout, "the batch in realtime.sequence.claim.batch.size");
        await fixture.WaitUntilAsync(async () => await fixture.MetricAsync("realtime_sequence_claims_total", "outcome=\"new\"") >= newBefore + fresh.Count,
            Timeout, $"{fresh.Count} new claims in realtime.sequence.claims");

        // The batch wrote the rows: a later claim of one of its channels finds it known and takes the safe path.
        var again = await ClaimBatchAsync(client, [fresh[5]]);
        Assert.Empty(Strings(again, "new"));
        Assert.Equal([fresh[5]], Strings(again, "known"));
        using var alone = await client.PostAsync(new Uri($"/internal/channels/{persisted}/claim", UriKind.Relative), content: null).WaitAsync(Timeout);
        var recovered = await alone.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);
        Assert.Equal((3L, false), (recovered.GetProperty("maxSeq").GetInt64(), recovered.GetProperty("new").GetBoolean()));
    }

    [Fact]
    public async Task ConcurrentBatchesOfTheSameChannelsMakeEachNewInExactlyOneAnswer()
    {
        var prefix = MessageServiceFixture.NewPrefix("claim");
        var channels = Enumerable.Range(0, 200).Select(i => $"{prefix}-{i:000}").ToList();
        using var client = fixture.CreateClient();
        var random = new Random(16);
        // Four callers (two replicas' batches and their retries), each naming the channels in its own order.
        var orders = Enumerable.Range(0, 4).Select(_ => channels.OrderBy(_ => random.Next()).ToList()).ToList();

        var answers = await Task.WhenAll(orders.Select(order => ClaimBatchAsync(client, order)));

        var newIn = answers.SelectMany(Strings("new")).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(channels.Order(StringComparer.Ordinal), newIn.Keys.Order(StringComparer.Ordinal));
        Assert.All(newIn, kv => Assert.Equal(1, kv.Value));
        Assert.All(answers, a => Assert.Equal(channels.Count, Strings(a, "new").Count + Strings(a, "known").Count));
    }

    [Fact]
    public async Task ABatchWithInvalidNamesIsAValidationProblemListingThem()
    {
        using var client = fixture.CreateClient();
        var valid = MessageServiceFixture.NewPrefix("claim");

        var errors = await ProblemAsync(client, new { channels = new[] { valid, "no-namespace", "chat:" } });

        var message = errors.GetProperty("channels")[0].GetString()!;
        Assert.Contains("'no-namespace'", message, StringComparison.Ordinal);
        Assert.Contains("'chat:'", message, StringComparison.Ordinal);
        Assert.DoesNotContain(valid, message, StringComparison.Ordinal);
        // Refused whole: the valid name was not claimed.
        Assert.Equal(0, await fixture.QueryScalarAsync<long>("SELECT count(*) FROM channels WHERE channel = @channel", ("channel", valid)));
    }

    [Fact]
    public async Task ABatchOfTooManyOrNoChannelsIsAValidationProblemNamingTheLimit()
    {
        using var client = fixture.CreateClient();
        var prefix = MessageServiceFixture.NewPrefix("claim");

        var tooMany = await ProblemAsync(client, new { channels = Enumerable.Range(0, 501).Select(i => $"{prefix}-{i}").ToArray() });
        var none = await ProblemAsync(client, new { channels = Array.Empty<string>() });

        Assert.Contains("MessageService:SequenceRecovery:MaxClaimBatch", tooMany.GetProperty("channels")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("got 501", tooMany.GetProperty("channels")[0].GetString(), StringComparison.Ordinal);
        Assert.True(none.TryGetProperty("channels", out _), none.ToString());
    }

    private static async Task<JsonElement> ProblemAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/internal/channels/claims", UriKind.Relative), body).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout)).GetProperty("errors");
    }

    private static async Task<JsonElement> ClaimBatchAsync(HttpClient client, IReadOnlyList<string> channels)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/internal/channels/claims", UriKind.Relative), new { channels }).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);
    }

    private static List<string> Strings(JsonElement answer, string property) =>
        [.. answer.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    private static Func<JsonElement, IEnumerable<string>> Strings(string property) => answer => Strings(answer, property);
}
