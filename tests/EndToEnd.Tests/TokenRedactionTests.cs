using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeAspire.Testing;

namespace RealtimeAspire.EndToEnd.Tests;

/// <summary>
/// SSE, long-poll, history and presence clients send their JWT as <c>?access_token=</c> (EventSource cannot set
/// headers). Through the edge and directly, with request logging at Debug, the token reaches no resource's console:
/// the request lines still show the path and the query, the token's value replaced.
/// </summary>
public sealed class TokenRedactionTests(TokenRedactionTopology fixture) : IClassFixture<TokenRedactionTopology>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ATokenInTheQueryReachesNoResourcesConsoleWithRequestLoggingAtDebug()
    {
        var topology = fixture.Topology;
        var channel = $"chat:redaction-{Guid.NewGuid():N}";
        using var edge = new HttpClient { BaseAddress = topology.Endpoint("edge"), Timeout = Timeout };
        using var issued = await edge.PostAsJsonAsync("/api/dev/token", new { user = "redaction-probe" });
        issued.EnsureSuccessStatusCode();
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        // A token with a wrong signature: refused with 401, and the refusal is logged; it must not show either.
        var forged = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        foreach (var service in new[] { "edge", "connection-service-0" })
        {
            using var http = new HttpClient { BaseAddress = topology.Endpoint(service), Timeout = Timeout };
            await ReadSseWelcomeAsync(http, $"/connect/sse?channels={channel}&access_token={token}");
            await FirstPollAsync(http, $"/connect/poll?channels={channel}&access_token={token}");
            using var refused = await http.GetAsync($"/connect/sse?access_token={forged}&channels={channel}");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        foreach (var (service, path) in new[] { ("edge", "messages"), ("message-service", "messages"), ("edge", "presence"), ("presence-service", "presence") })
        {
            using var http = new HttpClient { BaseAddress = topology.Endpoint(service), Timeout = Timeout };
            using var ok = await http.GetAsync($"/api/channels/{channel}/{path}?access_token={token}");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            using var refused = await http.GetAsync($"/api/channels/{channel}/{path}?access_token={forged}");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // Console lines arrive a moment after they are written: wait for the last request each service answered
        // (a forged token's 401: one forwarded by the edge, one direct), then look at everything before it.
        var probe = channel[(channel.IndexOf('-') + 1)..];
        foreach (var (service, refusals) in new[] { ("edge", 3), ("connection-service-0", 2), ("message-service", 2), ("presence-service", 2) })
        {
            var resource = topology.Instance(service);
            await BoundedWait.UntilAsync(
                () => Task.FromResult(RequestLines(resource, probe).Count(line => line.Contains(" - 401 ", StringComparison.Ordinal)) >= refusals),
                Timeout, $"{service} to log {refusals} refused requests of this test",
                describe: () => Task.FromResult(string.Join('\n', resource.Logs.Tail(40))));
        }

        var signatures = new[] { token, forged }.Select(t => t[(t.LastIndexOf('.') + 1)..]).ToArray();
        var leaks = topology.Resources.Values
            .SelectMany(r => r.Logs.Tail(int.MaxValue).Select(line => (r.Name, line)))
            .Where(l => signatures.Any(s => l.line.Contains(s, StringComparison.Ordinal)))
            .Select(l => $"{l.Name}: {l.line}")
            .ToList();
        Assert.True(leaks.Count == 0, "The token reached a console:\n" + string.Join('\n', leaks.Take(20)));

        // The request lines are still useful: path and query, the token's value replaced; the edge's forwarding too.
        foreach (var service in new[] { "edge", "connection-service-0", "message-service", "presence-service" })
        {
            Assert.Contains(RequestLines(topology.Instance(service), probe), line => line.Contains("access_token=[redacted]", StringComparison.Ordinal));
        }
        Assert.Contains(topology.Instance("edge").Logs.Tail(int.MaxValue), line => line.Contains("Proxying to", StringComparison.Ordinal)
            && line.Contains(probe, StringComparison.Ordinal) && line.Contains("access_token=[redacted]", StringComparison.Ordinal));
    }

    /// <summary>ASP.NET Core's "Request finished" lines of this test's requests (its channel is in each URL).</summary>
    private static IEnumerable<string> RequestLines(TestResource resource, string probe) =>
        resource.Logs.Tail(int.MaxValue).Where(line => line.Contains("Request finished", StringComparison.Ordinal) && line.Contains(probe, StringComparison.Ordinal));

    private static async Task ReadSseWelcomeAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var cts = new CancellationTokenSource(Timeout);
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line == "event: welcome")
            {
                return;
            }
        }
        Assert.Fail("The stream ended before its welcome.");
    }

    private static async Task FirstPollAsync(HttpClient http, string path)
    {
        // The first poll answers at once with the welcome and the starting cursor.
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var batch = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("welcome", batch.GetProperty("events")[0].GetProperty("type").GetString());
    }
}
