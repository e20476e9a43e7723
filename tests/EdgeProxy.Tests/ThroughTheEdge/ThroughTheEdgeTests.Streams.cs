using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeAspire.EdgeProxy.Affinity;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

public sealed partial class ThroughTheEdgeTests
{
    [Fact]
    public async Task ServerSentEventsStreamThroughTheEdgeAndEventSourceSticksByQueryParameter()
    {
        var token = await Edge.DevTokenAsync($"sse-{_run}");
        var first = await OpenSseAsync($"/connect/sse?channels=chat:edge-sse-{_run}", token);
        Assert.NotNull(first.Key);
        Assert.Equal(first.Key, first.Welcome.GetProperty("affinity").GetString());

        // EventSource cannot set headers: token and key in the query.
        var again = await OpenSseAsync(
            $"/connect/sse?channels=chat:edge-sse-{_run}&access_token={Uri.EscapeDataString(token)}&{AffinityConventions.QueryParameter}={first.Key}", token: null);
        Assert.Equal(first.Welcome.GetProperty("replica").GetString(), again.Welcome.GetProperty("replica").GetString());
        Assert.Equal(first.Key, again.Welcome.GetProperty("affinity").GetString());
    }

    [Fact]
    public async Task LongPollThroughTheEdgeCarriesReplicaAndKey()
    {
        var token = await Edge.DevTokenAsync($"poll-{_run}");
        using var first = await PollAsync(token, key: null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var replica = first.Headers.GetValues("X-Realtime-Replica").Single();
        var key = first.Headers.GetValues(AffinityConventions.ClientHeader).Single();
        var body = await first.Content.ReadFromJsonAsync<JsonElement>();
        var welcome = body.GetProperty("events").EnumerateArray().First(e => e.GetProperty("type").GetString() == "welcome");
        Assert.Equal(key, welcome.GetProperty("affinity").GetString());

        using var second = await PollAsync(token, key);
        Assert.Equal(replica, second.Headers.GetValues("X-Realtime-Replica").Single());
    }

    [Fact]
    public async Task HeldLongPollIsAnsweredThroughTheEdgeAfterItsFullHold()
    {
        var token = await Edge.DevTokenAsync($"hold-{_run}");
        // A feed channel: no presence events, so nothing answers the poll before its hold ends.
        var channel = $"feed:edge-hold-{_run}";
        using var first = await Edge.Http.SendAsync(PollRequest(token, key: null, cursor: null, channel));
        var key = first.Headers.GetValues(AffinityConventions.ClientHeader).Single();
        var cursor = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cursor").GetString()!;
        using var patient = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = Edge.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var held = patient.SendAsync(PollRequest(token, key, cursor, channel));
        // While it is held, the edge counts it as an active stream.
        await EventuallyAsync(async () => Counter(await EdgeMetricsAsync(), "realtime_edge_active_streams", "transport=\"long-poll\"") >= 1,
            TimeSpan.FromSeconds(10), "the held poll gauged as an active long-poll");
        using var response = await held.WaitAsync(TimeSpan.FromSeconds(60));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(20), $"answered after {clock.Elapsed.TotalSeconds:0.0} s: not held: {body}");
        Assert.Empty(JsonDocument.Parse(body).RootElement.GetProperty("events").EnumerateArray());
    }

    private Task<HttpResponseMessage> PollAsync(string token, string? key) =>
        Edge.Http.SendAsync(PollRequest(token, key, cursor: null, $"chat:edge-poll-{_run}"));

    private static HttpRequestMessage PollRequest(string token, string? key, string? cursor, string channel)
    {
        var request = new HttpRequestMessage(HttpMethod.Get,
            $"/connect/poll?channels={channel}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (key is not null)
        {
            request.Headers.Add(AffinityConventions.ClientHeader, key);
        }
        return request;
    }

    /// <summary>Opens an SSE stream and reads up to its first event, which must arrive while the stream stays open (no buffering).</summary>
    private async Task<(string? Key, JsonElement Welcome)> OpenSseAsync(string path, string? token)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await Edge.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var key = response.Headers.TryGetValues(AffinityConventions.ClientHeader, out var keys) ? keys.Single() : null;

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        string? eventName = null;
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventName = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal) && eventName == "welcome")
            {
                return (key, JsonDocument.Parse(line["data:".Length..]).RootElement.Clone());
            }
        }
        throw new InvalidOperationException("The SSE stream ended before its welcome event.");
    }
}
