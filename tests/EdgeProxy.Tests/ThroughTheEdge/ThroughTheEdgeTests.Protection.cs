using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

public sealed partial class ThroughTheEdgeTests
{
    [Fact]
    public async Task ConnectionFromAForeignBrowserOriginIsRefusedAtTheEdge()
    {
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/connect/info");
        foreign.Headers.Add("Origin", "https://evil.example");
        foreign.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestRequestsToken($"origin-{_run}"));
        using var refused = await Edge.Http.SendAsync(foreign);

        using var own = new HttpRequestMessage(HttpMethod.Get, "/connect/info");
        own.Headers.Add("Origin", Edge.BaseAddress.GetLeftPart(UriPartial.Authority));
        own.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestRequestsToken($"origin-{_run}"));
        using var accepted = await Edge.Http.SendAsync(own);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("X-Realtime-Replica"), "a refused connection must not reach a replica");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task PageServedFromTheEdgesOwnOriginConnectsOverEveryTransport()
    {
        var origin = Edge.BaseAddress.GetLeftPart(UriPartial.Authority);
        var token = await Edge.DevTokenAsync($"same-origin-{_run}");
        var channel = $"feed:same-origin-{_run}";

        using var poll = PollRequest(token, key: null, cursor: null, channel);
        poll.Headers.Add("Origin", origin);
        using var polled = await Edge.Http.SendAsync(poll);
        Assert.True(polled.StatusCode == HttpStatusCode.OK, $"long poll from {origin}: {(int)polled.StatusCode} {await polled.Content.ReadAsStringAsync()}");

        using var sse = new HttpRequestMessage(HttpMethod.Get, $"/connect/sse?channels={channel}");
        sse.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        sse.Headers.Add("Origin", origin);
        using var streamed = await Edge.Http.SendAsync(sse, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(streamed.StatusCode == HttpStatusCode.OK, $"SSE from {origin}: {(int)streamed.StatusCode}");

        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.AddSubProtocol("realtime.v1.json");
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        socket.Options.SetRequestHeader("Origin", origin);
        using var cts = new CancellationTokenSource(EdgeClient.CallTimeout);
        await socket.ConnectAsync(new UriBuilder(Edge.BaseAddress) { Scheme = "ws", Path = "/connect/ws" }.Uri, cts.Token);
        Assert.Equal("welcome", (await RealtimeSocket.ReceiveFrameAsync(socket, EdgeClient.CallTimeout)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task ForeignOriginIsRefusedInTheSameWordsByTheEdgeAndByAReplica()
    {
        var token = await Edge.DevTokenAsync($"foreign-{_run}");
        using var atEdge = PollRequest(token, key: null, cursor: null, $"feed:foreign-{_run}");
        atEdge.Headers.Add("Origin", "https://evil.example");
        using var edgeRefusal = await Edge.Http.SendAsync(atEdge);

        using var direct = new HttpClient { BaseAddress = Topology.Endpoint("connection-service-0") };
        using var atReplica = PollRequest(token, key: null, cursor: null, $"feed:foreign-{_run}");
        atReplica.Headers.Add("Origin", "https://evil.example");
        using var replicaRefusal = await direct.SendAsync(atReplica);

        Assert.Equal(HttpStatusCode.Forbidden, edgeRefusal.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, replicaRefusal.StatusCode);
        var edgeProblem = await edgeRefusal.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var replicaProblem = await replicaRefusal.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("origin_not_allowed", edgeProblem.GetProperty("title").GetString());
        Assert.Equal(edgeProblem.GetProperty("title").GetString(), replicaProblem.GetProperty("title").GetString());
        Assert.Equal(edgeProblem.GetProperty("detail").GetString(), replicaProblem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task CorsPreflightFromAForeignOriginIsNotAllowed()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/api/channels/chat:cors-{_run}/messages");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await Edge.Http.SendAsync(preflight);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task OversizedBodyAndOversizedHeadersAreRefused()
    {
        var token = await Edge.DevTokenAsync($"size-{_run}");
        using var publish = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/chat:size-{_run}/messages")
        {
            Content = new ByteArrayContent(new byte[2 * 1024 * 1024]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var tooLarge = await Edge.Http.SendAsync(publish);

        using var headers = new HttpRequestMessage(HttpMethod.Get, "/connect/info");
        headers.Headers.Add("X-Padding", new string('x', 40 * 1024));
        using var tooManyHeaderBytes = await Edge.Http.SendAsync(headers);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooManyHeaderBytes.StatusCode);
    }

    [Fact]
    public async Task OversizedBodyIsRefusedWithProblemDetailsWhetherItsLengthIsDeclaredOrChunked()
    {
        var token = await Edge.DevTokenAsync($"size-problem-{_run}");
        foreach (var chunked in new[] { false, true })
        {
            var body = new byte[2 * 1024 * 1024];
            HttpContent content = chunked ? new StreamContent(new NoLengthStream(body)) : new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var publish = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/chat:size-{_run}/messages") { Content = content };
            publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            // As an uploader of a large body should: the refusal then arrives before the body is sent, not as a reset
            // of a connection the edge closes while the client is still writing 2 MB into it.
            publish.Headers.ExpectContinue = true;

            using var refused = await Edge.Http.SendAsync(publish);

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.Equal("request_too_large", problem.GetProperty("title").GetString());
            Assert.Contains("Edge:Limits:MaxRequestBodyBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    /// <summary>A stream that does not tell its length, so the body goes chunked.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
