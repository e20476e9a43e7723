using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

public sealed partial class ThroughTheEdgeTests
{
    [Fact]
    public async Task ConnectStormIsShedWith429AndRetryAfterWhileOtherClientsAreServed()
    {
        const int storm = 2000;
        var stormToken = TestRequestsToken($"storm-{_run}");
        using var stormClient = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 64 })
        {
            BaseAddress = Edge.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

        var clock = Stopwatch.StartNew();
        var stormTask = Task.WhenAll(Enumerable.Range(0, storm).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/info");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stormToken);
            using var response = await stormClient.SendAsync(request);
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta);
        }));

        // While the storm runs, another user connects and the edge answers its probes.
        var calmToken = TestRequestsToken($"calm-{_run}");
        for (var i = 0; i < 5; i++)
        {
            var calm = Stopwatch.StartNew();
            var info = await Edge.InfoAsync(calmToken);
            Assert.Equal(HttpStatusCode.OK, info.Status);
            Assert.True(calm.Elapsed < TimeSpan.FromSeconds(5), $"a calm client waited {calm.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(HttpStatusCode.OK, (await Edge.Http.GetAsync("/health")).StatusCode);
        }

        var results = await stormTask.WaitAsync(TimeSpan.FromSeconds(90));
        var elapsed = clock.Elapsed;
        var refused = results.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.All(results, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        // The user's burst (30) plus its refill (10/s) over the storm, nothing more.
        Assert.True(results.Length - refused.Length <= 30 + 10 * (elapsed.TotalSeconds + 1), $"{results.Length - refused.Length} admitted in {elapsed.TotalSeconds:0.0} s");
        Assert.All(refused, r => Assert.True(r.RetryAfter >= TimeSpan.FromSeconds(1), "429 without Retry-After"));
        Assert.True(Counter(await EdgeMetricsAsync(), "realtime_edge_rate_limited_total", "traffic=\"connect\"") >= refused.Length);
    }

    [Fact]
    public async Task RateLimitedResponseIsProblemDetails()
    {
        var token = TestRequestsToken($"problem-{_run}");
        HttpResponseMessage? refused = null;
        try
        {
            for (var i = 0; i < 200 && refused is null; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/info");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var response = await Edge.Http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    refused = response;
                }
                else
                {
                    response.Dispose();
                }
            }

            Assert.NotNull(refused);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(refused.Headers.RetryAfter?.Delta);
            // The same shape as the replicas' refusals: the documented code as title and type.
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("rate_limited", problem.GetProperty("title").GetString());
            Assert.Equal("https://realtime-aspire.dev/errors/rate_limited", problem.GetProperty("type").GetString());
        }
        finally
        {
            refused?.Dispose();
        }
    }

    [Fact]
    public async Task LongPollsContinuingACursorDoNotSpendConnectPermits()
    {
        // More continued polls than the connect bucket's burst (30) as fast as the edge answers them: each one
        // answers at once, since the cursor is behind the channel (a response fetched again).
        var token = await Edge.DevTokenAsync($"poller-{_run}");
        var channel = $"feed:edge-poller-{_run}";
        using (var publish = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/{channel}/messages") { Content = System.Net.Http.Json.JsonContent.Create(new { data = 1 }) })
        {
            publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var published = await Edge.Http.SendAsync(publish);
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
        {
            using var poll = PollRequest(token, key: null, cursor: $"{channel}@0", channel);
            using var response = await Edge.Http.SendAsync(poll).WaitAsync(TimeSpan.FromSeconds(15));
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        // A new connection of the same user still has its connect permits.
        using var first = await Edge.Http.SendAsync(PollRequest(token, key: null, cursor: null, channel));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }
}
