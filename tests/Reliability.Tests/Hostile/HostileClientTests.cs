using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using RealtimeAspire.ConnectionService.Tests.Clients;
using RealtimeAspire.Testing;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>
/// Hostile clients the existing suites do not cover (docs/reliability.md, "Hostile input", lists all with where each is
/// tested), against the replica directly and through the edge: each is answered as docs/protocol.md and docs/edge.md say,
/// and a well-behaved client is served meanwhile.
/// </summary>
[Collection(nameof(HostileCollection))]
public sealed class HostileClientTests(HostileTopology topology)
{
    public static TheoryData<string> Targets => new() { "replica", "edge" };

    private Uri Target(string through) => through == "edge" ? topology.Edge : topology.Replica;

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task DeeplyNestedJsonIsBadJsonOverWebSocketAndHttp(string through)
    {
        var nested = new string('[', 10_000) + new string(']', 10_000);
        var channel = $"chat:deep-{Guid.NewGuid():N}";
        await using var socket = await RealtimeSocket.ConnectAsync(Target(through), HostileTopology.Token("deep"));

        await socket.SendRawAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"publish\",\"id\":7,\"channel\":\"{channel}\",\"data\":{nested}}}"));
        var reply = await socket.NextAsync(f => f.TryGetProperty("id", out var id) && id.GetInt64() == 7);
        using var http = await PublishRawAsync(through, channel, Encoding.UTF8.GetBytes($"{{\"data\":{nested}}}"));

        Assert.Equal(("error", "bad_json"), (reply.GetProperty("type").GetString(), reply.GetProperty("code").GetString()));
        await AssertProblemAsync(http, HttpStatusCode.BadRequest, "bad_json");
        Assert.Equal("ack", (await socket.PublishAsync(channel, "shallow")).GetProperty("type").GetString());
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task HttpPublishOfInvalidUtf8IsBadJsonAndNeverReachesSubscribers(string through)
    {
        var channel = $"chat:utf8-{Guid.NewGuid():N}";
        await using var subscriber = await RealtimeSocket.ConnectAsync(topology.Replica, HostileTopology.Token("utf8-reader"));
        await subscriber.SubscribeAsync(channel);

        using var refused = await PublishRawAsync(through, channel, [.. "{\"data\":\"caf"u8, 0xC3, 0x28, .. "\"}"u8]);
        using var valid = await PublishRawAsync(through, channel, "{\"data\":\"café\"}"u8.ToArray());

        await AssertProblemAsync(refused, HttpStatusCode.BadRequest, "bad_json");
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        // A text frame that is not UTF-8 would have closed the subscriber's socket (1007) before this message.
        var message = (await subscriber.MessagesAsync(channel, 1))[0];
        Assert.Equal("café", message.GetProperty("data").GetString());
        Assert.Equal(WebSocketState.Open, subscriber.State);
    }

    [Theory]
    [InlineData("replica", 150)]
    [InlineData("edge", 80)]
    public async Task HeaderFloodsAreRefusedWith431(string through, int headerCount)
    {
        var service = Target(through);
        var many = string.Concat(Enumerable.Range(0, headerCount).Select(i => $"X-Flood-{i}: {i}\r\n"));
        var huge = $"X-Huge: {new string('h', 40 * 1024)}\r\n";

        foreach (var flood in new[] { many, huge })
        {
            await using var connection = await RawConnection.OpenAsync(service);
            await connection.SendAsync($"GET /connect/info HTTP/1.1\r\nHost: {service.Authority}\r\n{flood}\r\n");
            var answer = await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(30));

            Assert.NotNull(answer);
            Assert.StartsWith("HTTP/1.1 431", answer, StringComparison.Ordinal);
        }
        await AssertServesOthersAsync();
    }

    [Fact]
    public async Task SlowlorisHeadersAndBodiesAreCutByTheEdge()
    {
        var edge = topology.Edge;
        await using var bystander = await WellBehavedClient.StartAsync(topology.Edge, "slowloris-bystander");

        // Headers one byte every 200 ms: they would take a minute; the edge gives them RequestHeadersTimeout (2 s here).
        await using var headers = await RawConnection.OpenAsync(edge);
        var headersCut = await headers.TrickleAsync($"GET /connect/info HTTP/1.1\r\nHost: {edge.Authority}\r\nX-Slow: {new string('s', 300)}\r\n\r\n", TimeSpan.FromMilliseconds(200));

        // A body at 5 B/s, under MinRequestBodyBytesPerSecond (240 B/s) after the grace period (2 s here).
        await using var body = await RawConnection.OpenAsync(edge);
        await body.SendAsync($"POST /api/channels/chat:slow/messages HTTP/1.1\r\nHost: {edge.Authority}\r\nAuthorization: Bearer {HostileTopology.Token("slow-body")}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n");
        var bodyCut = await body.TrickleAsync("{\"data\":\"" + new string('b', 400), TimeSpan.FromMilliseconds(200));

        Assert.True(headersCut, "The edge let a client trickle its headers for a minute.");
        Assert.True(bodyCut, "The edge let a client trickle a body at 5 B/s for 80 s.");
        Assert.True(await bystander.StopAsync() > 0);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task HalfOpenWebSocketsAreClosedByTheKeepAlive(string through)
    {
        // A client that vanished without a FIN looks, to the server, like one that never reads or answers again: the
        // kernel still acknowledges, nothing comes back. Only the keep-alive (ping, no pong within the timeout) frees it.
        var service = Target(through);
        var before = await ReplicaGauges.ConnectionsAsync(topology.Replica);
        var silent = new List<RawConnection>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var connection = await RawConnection.OpenAsync(service);
                silent.Add(connection);
                await connection.SendAsync($"GET /connect/ws?access_token={HostileTopology.Token($"half-open-{i}")} HTTP/1.1\r\nHost: {service.Authority}\r\n" +
                    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
                    "Sec-WebSocket-Protocol: realtime.v1.json\r\n\r\n");
                Assert.StartsWith("HTTP/1.1 101", await connection.ReadHeadAsync(TimeSpan.FromSeconds(15)), StringComparison.Ordinal);
            }
            await BoundedWait.UntilAsync(async () => await ReplicaGauges.ConnectionsAsync(topology.Replica) >= before + 20, TimeSpan.FromSeconds(30),
                "the replica to count the 20 silent WebSockets", describe: async () => $"{await ReplicaGauges.ConnectionsAsync(topology.Replica)} open, {before} before");

            await BoundedWait.UntilAsync(async () => await ReplicaGauges.ConnectionsAsync(topology.Replica) <= before, TimeSpan.FromSeconds(60),
                "the replica to close its 20 silent WebSockets", describe: async () => $"{await ReplicaGauges.ConnectionsAsync(topology.Replica)} open, {before} before");
        }
        finally
        {
            foreach (var connection in silent)
            {
                await connection.DisposeAsync();
            }
        }
        await AssertServesOthersAsync();
    }

    public static TheoryData<string, string> BrokenTokens => new()
    {
        { "replica", "expired" }, { "replica", "other-key" }, { "replica", "other-issuer" }, { "replica", "unsigned" },
        { "edge", "expired" }, { "edge", "other-key" }, { "edge", "other-issuer" }, { "edge", "unsigned" },
    };

    [Theory]
    [MemberData(nameof(BrokenTokens))]
    public async Task ExpiredAndForgedTokensAre401OnEveryTransport(string through, string broken)
    {
        var user = $"mallory-{broken}";
        var token = broken switch
        {
            // Past the 30 s clock skew the services allow.
            "expired" => HostileTopology.Token(user, expires: DateTime.UtcNow.AddMinutes(-5)),
            "other-key" => HostileTopology.Token(user, signingKey: new string('k', 64)),
            "other-issuer" => HostileTopology.Token(user, issuer: "someone-else"),
            _ => Unsigned(user),
        };
        var service = Target(through);
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };

        using var sse = await http.GetAsync($"/connect/sse?channels=chat:a&access_token={token}", HttpCompletionOption.ResponseHeadersRead);
        using var poll = await http.GetAsync($"/connect/poll?channels=chat:a&access_token={token}");
        using var publish = await PublishRawAsync(through, "chat:a", "{\"data\":1}"u8.ToArray(), token);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.AddSubProtocol("realtime.v1.json");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new UriBuilder(service) { Scheme = "ws", Path = "/connect/ws", Query = $"access_token={token}" }.Uri, CancellationToken.None));

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized],
            new[] { sse.StatusCode, poll.StatusCode, publish.StatusCode, socket.HttpStatusCode });
    }

    [Theory]
    [InlineData("replica", "null")]
    [InlineData("replica", "https://app.example.evil.test")]
    [InlineData("replica", "http://app.example")]
    [InlineData("replica", "https://app.example:8443")]
    [InlineData("edge", "null")]
    [InlineData("edge", "https://app.example.evil.test")]
    [InlineData("edge", "http://app.example")]
    [InlineData("edge", "https://app.example:8443")]
    public async Task LookalikeAndOpaqueOriginsAreRefusedWithOriginNotAllowed(string through, string origin)
    {
        using var http = new HttpClient { BaseAddress = Target(through), Timeout = TimeSpan.FromSeconds(30) };
        var token = HostileTopology.Token("origin-test");
        foreach (var path in new[] { "/connect/poll?channels=chat:o", "/connect/sse?channels=chat:o" })
        {
            using var refused = new HttpRequestMessage(HttpMethod.Get, $"{path}&access_token={token}") { Headers = { { "Origin", origin } } };
            using var allowed = new HttpRequestMessage(HttpMethod.Get, $"{path}&access_token={token}") { Headers = { { "Origin", HostileTopology.AllowedOrigin } } };

            using var refusal = await http.SendAsync(refused, HttpCompletionOption.ResponseHeadersRead);
            using var answer = await http.SendAsync(allowed, HttpCompletionOption.ResponseHeadersRead);

            await AssertProblemAsync(refusal, HttpStatusCode.Forbidden, "origin_not_allowed");
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
    }

    [Fact]
    public async Task OversizedFrameThroughTheEdgeClosesWith1009AndItsReason()
    {
        await using var socket = await RealtimeSocket.ConnectAsync(topology.Edge, HostileTopology.Token("oversize-edge"));

        await socket.SendRawAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"publish\",\"id\":1,\"channel\":\"live:big\",\"data\":\"{new string('x', HostileTopology.MaxFrameBytes + 1)}\"}}"));

        var (status, reason) = await socket.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((WebSocketCloseStatus.MessageTooBig, "message_too_big"), (status, reason));
        await AssertServesOthersAsync();
    }

    private static string Unsigned(string user)
    {
        static string Part(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return $"{Part(new { alg = "none", typ = "JWT" })}.{Part(new { sub = user, iss = "realtime-aspire", aud = "realtime-aspire", exp = now + 3600, nbf = now - 60, sub_ch = "*", pub_ch = "*" })}.";
    }

    private async Task<HttpResponseMessage> PublishRawAsync(string through, string channel, byte[] body, string? token = null)
    {
        using var http = new HttpClient { BaseAddress = Target(through), Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/{channel}/messages")
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        };
        request.Headers.Authorization = new("Bearer", token ?? HostileTopology.Token("raw-publisher"));
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode} instead of {status}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    private async Task AssertServesOthersAsync()
    {
        await using var client = await WellBehavedClient.StartAsync(topology.Edge, $"after-{Guid.NewGuid():N}");
        await BoundedWait.UntilAsync(() => Task.FromResult(client.RoundTrips >= 3), TimeSpan.FromSeconds(30), "three round trips of a well-behaved client");
        await client.StopAsync();
    }
}
