using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

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
        }
        finally
        {
            refused?.Dispose();
        }
    }
}
