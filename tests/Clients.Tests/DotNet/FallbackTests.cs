using RealtimeAspire.Client;

namespace RealtimeAspire.Clients.Tests.DotNet;

[Collection(nameof(ClientTopologyCollection))]
public sealed class FallbackTests(ClientTopologyFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    /// <summary>The WebSocket goes through a proxy that refuses connections (port 9, discard): blocked, as by a corporate proxy. SSE and long polling use the HttpClient, without it.</summary>
    private static void RefuseTheUpgrade(RealtimeClientOptions options) =>
        options.ConfigureWebSocket = ws => ws.Proxy = new System.Net.WebProxy("http://127.0.0.1:9") { BypassProxyOnLocal = false };

    private async Task ChatsAsync(TestClient client)
    {
        var channel = $"chat:{Unique.Name("fallback")}";
        await using var received = new Collected(client.Client, channel, since: 0);
        for (var i = 0; i < 5; i++)
        {
            await client.Client.PublishAsync(channel, new { i }).WaitAsync(s_timeout);
        }
        await Eventually.TrueAsync(() => received.Messages.Count >= 5, s_timeout, "5 messages");
        Assert.Equal([1L, 2, 3, 4, 5], received.Seqs);
    }

    [Fact]
    public async Task WebSocketRefusedFallsBackToServerSentEvents()
    {
        await using var client = TestClient.Create(fixture, Unique.Name("no-ws"), configure: RefuseTheUpgrade);
        await Eventually.ConnectedAsync(client.Client, s_timeout);
        Assert.Equal(RealtimeTransport.ServerSentEvents, client.Client.State.Transport);
        await ChatsAsync(client);
    }

    [Fact]
    public async Task WebSocketAndSseRefusedFallsBackToLongPolling()
    {
        using var http = new HttpClient(new RefusingHandler("/connect/sse")) { Timeout = Timeout.InfiniteTimeSpan };
        await using var client = TestClient.Create(fixture, Unique.Name("no-sse"), configure: RefuseTheUpgrade, http: http);
        await Eventually.ConnectedAsync(client.Client, s_timeout);
        Assert.Equal(RealtimeTransport.LongPolling, client.Client.State.Transport);
        await ChatsAsync(client);
    }

    [Theory]
    [InlineData(RealtimeTransport.WebSocket)]
    [InlineData(RealtimeTransport.ServerSentEvents)]
    [InlineData(RealtimeTransport.LongPolling)]
    public async Task ARefusedTokenIsFetchedAgainAndTheClientConnects(RealtimeTransport transport)
    {
        var user = Unique.Name("refresh");
        var calls = 0;
        await using var client = TestClient.Create(fixture, user, [transport], o => o.TokenProvider = async ct =>
            Interlocked.Increment(ref calls) == 1 ? "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged" : await fixture.TokenAsync(user, ct));
        var channel = $"chat:{Unique.Name("after-refresh")}";
        await using var received = new Collected(client.Client, channel, since: 0);
        var ack = await client.Client.PublishAsync(channel, "hello").WaitAsync(s_timeout);
        Assert.Equal(1, ack.Seq);
        Assert.True(calls >= 2, $"token asked {calls} times");
        await Eventually.TrueAsync(() => received.Messages.Count == 1, s_timeout, "the message");
    }

    [Fact]
    public async Task TooManyRequestsWaitsRetryAfterThenConnects()
    {
        var user = Unique.Name("storm");
        var token = await fixture.TokenAsync(user, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var refusals = 0;
        // Empty the user's connect bucket (edge: 10/s, burst 30) and keep it empty until the client was refused.
        var hammer = Task.Run(async () =>
        {
            using var http = new HttpClient();
            while (!stop.IsCancellationRequested)
            {
                var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.EdgeUrl, "/connect/info"));
                    request.Headers.Authorization = new("Bearer", token);
                    using var response = await http.SendAsync(request, CancellationToken.None);
                    return (int)response.StatusCode;
                }));
                Interlocked.Add(ref refusals, statuses.Count(s => s == 429));
            }
        });
        try
        {
            await Eventually.TrueAsync(() => Volatile.Read(ref refusals) > 0, s_timeout, "the bucket empty");
            await using var client = TestClient.Create(fixture, user, [RealtimeTransport.WebSocket], o => o.Token = token);
            await Eventually.TrueAsync(() => client.States.Any(s => s.Status == RealtimeConnectionStatus.Reconnecting && s.Reason!.Contains("429", StringComparison.Ordinal)), s_timeout, "a 429");
            await stop.CancelAsync();
            await hammer;
            var waited = client.States.First(s => s.Status == RealtimeConnectionStatus.Reconnecting);
            Assert.True(waited.Delay >= TimeSpan.FromSeconds(1), $"waited {waited.Delay}: Retry-After is at least 1 s");
            await Eventually.ConnectedAsync(client.Client, s_timeout);
        }
        finally
        {
            await stop.CancelAsync();
            await hammer;
        }
    }
}
