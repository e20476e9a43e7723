using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RealtimeAspire.MessageService.Tests.Functional;

[Collection(nameof(MessageServiceCollection))]
public sealed class HistoryApiTests(MessageServiceFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const int Count = 25;
    private string _channel = null!;

    public async Task InitializeAsync()
    {
        _channel = MessageServiceFixture.NewPrefix("hist");
        await fixture.ProduceAsync(Enumerable.Range(1, Count).Select(s => MessageServiceFixture.Envelope(_channel, s, data: $$"""{"n":{{s}},"text":"m{{s}}"}""")), Timeout).WaitAsync(Timeout);
        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(_channel) == Count, Timeout, "history persisted").WaitAsync(Timeout);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Client(string? token = null) =>
        fixture.CreateClient(token ?? MessageServiceFixture.Token("alice", ["hist:*"]));

    private async Task<JsonElement> PageAsync(string query)
    {
        using var client = Client();
        using var response = await client.GetAsync(new Uri($"/api/channels/{_channel}/messages{query}", UriKind.Relative)).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);
    }

    private static long[] Seqs(JsonElement page) => [.. page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64())];

    private static long[] Range(int from, int to) => [.. Enumerable.Range(from, to - from + 1).Select(i => (long)i)];

    [Fact]
    public async Task ForwardPagesResumeAfterASequenceAndSayWhetherMoreFollow()
    {
        var first = await PageAsync("?after=0&limit=10");
        Assert.Equal(Range(1, 10), Seqs(first));
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal(_channel, first.GetProperty("channel").GetString());

        var last = await PageAsync("?after=20&limit=10");
        Assert.Equal(Range(21, 25), Seqs(last));
        Assert.False(last.GetProperty("hasMore").GetBoolean());

        var exact = await PageAsync("?after=15&limit=10");
        Assert.Equal(Range(16, 25), Seqs(exact));
        Assert.False(exact.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task BackwardPagesScrollBackInAscendingOrder()
    {
        var page = await PageAsync("?before=11&limit=5");
        Assert.Equal(Range(6, 10), Seqs(page));
        Assert.True(page.GetProperty("hasMore").GetBoolean());

        var oldest = await PageAsync("?before=3&limit=5");
        Assert.Equal(Range(1, 2), Seqs(oldest));
        Assert.False(oldest.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task DefaultPageStartsAtTheBeginningAndCarriesEveryField()
    {
        var page = await PageAsync("");
        Assert.Equal(Range(1, Count), Seqs(page));
        Assert.False(page.GetProperty("hasMore").GetBoolean());
        var message = page.GetProperty("messages")[6];
        Assert.Equal(_channel, message.GetProperty("channel").GetString());
        Assert.Equal($"{_channel}#7", message.GetProperty("msgId").GetString());
        Assert.Equal("alice", message.GetProperty("from").GetString());
        Assert.Equal(1_732_540_000_007, message.GetProperty("ts").GetInt64());
        Assert.Equal("""{"n":7,"text":"m7"}""", message.GetProperty("data").GetRawText());
    }

    [Theory]
    [InlineData("?after=1&before=5")]
    [InlineData("?after=-1")]
    [InlineData("?before=abc")]
    [InlineData("?limit=0")]
    [InlineData("?limit=1001")]
    [InlineData("?limit=-5")]
    public async Task BadParametersAreProblemDetails(string query)
    {
        using var client = Client();
        using var response = await client.GetAsync(new Uri($"/api/channels/{_channel}/messages{query}", UriKind.Relative)).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task AnInvalidChannelNameIsAProblem()
    {
        using var client = Client(MessageServiceFixture.Token("alice", ["*"]));
        using var response = await client.GetAsync(new Uri("/api/channels/NoNamespace/messages", UriKind.Relative)).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WithoutAValidTokenTheAnswerIs401()
    {
        using var anonymous = fixture.CreateClient();
        using var none = await anonymous.GetAsync(new Uri($"/api/channels/{_channel}/messages", UriKind.Relative)).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);

        using var wrongKey = Client(MessageServiceFixture.Token("alice", ["*"], key: new string('k', 64)));
        using var forged = await wrongKey.GetAsync(new Uri($"/api/channels/{_channel}/messages", UriKind.Relative)).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

        using var expiredClient = Client(MessageServiceFixture.Token("alice", ["*"], expires: DateTime.UtcNow.AddMinutes(-5)));
        using var expired = await expiredClient.GetAsync(new Uri($"/api/channels/{_channel}/messages", UriKind.Relative)).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task TheTokenMayComeInTheAccessTokenQuery()
    {
        using var client = fixture.CreateClient();
        var token = MessageServiceFixture.Token("alice", [_channel]);

        using var response = await client.GetAsync(new Uri($"/api/channels/{_channel}/messages?limit=1&access_token={token}", UriKind.Relative)).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ATokenThatDoesNotAllowSubscribingGets403()
    {
        using var other = Client(MessageServiceFixture.Token("alice", ["chat:*", "hist:other"]));
        using var response = await other.GetAsync(new Uri($"/api/channels/{_channel}/messages", UriKind.Relative)).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using var everything = Client(MessageServiceFixture.Token("alice", ["*"]));
        using var privateChannel = await everything.GetAsync(new Uri("/api/channels/user:bob/messages", UriKind.Relative)).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Forbidden, privateChannel.StatusCode);

        using var own = await everything.GetAsync(new Uri("/api/channels/user:alice/messages", UriKind.Relative)).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }
}
