using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using RealtimeAspire.ConnectionService.Tests.Clients;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>Every limit and every bad input: the client gets a clear error or close code, and the server keeps serving others.</summary>
[Collection(nameof(StrictCollection))]
public sealed class LimitsAndBadInputTests(StrictTopology strict)
{
    private Uri Service => strict.Replica(0);

    [Fact]
    public async Task MalformedJsonUnknownTypeMissingTypeAndBinaryFramesGetErrorsAndTheConnectionStaysUsable()
    {
        await using var socket = await ConnectAsync("bad-input");

        await socket.SendRawAsync("{not json"u8.ToArray());
        Assert.Equal("bad_json", (await socket.NextAsync()).GetProperty("code").GetString());
        await socket.SendAsync(new { type = "explode", id = 3 });
        var unknown = await socket.NextAsync();
        Assert.Equal("unknown_type", unknown.GetProperty("code").GetString());
        Assert.Equal(3, unknown.GetProperty("id").GetInt64());
        await socket.SendAsync(new { channel = "chat:a" });
        Assert.Equal("bad_json", (await socket.NextAsync()).GetProperty("code").GetString());
        await socket.SendRawAsync([1, 2, 3], WebSocketMessageType.Binary);
        Assert.Equal("binary_not_supported", (await socket.NextAsync()).GetProperty("code").GetString());
        await socket.SendRawAsync("[1,2]"u8.ToArray());
        Assert.Equal("bad_json", (await socket.NextAsync()).GetProperty("code").GetString());

        await socket.SendAsync(new { type = "ping", id = 9 });
        Assert.Equal("pong", (await socket.NextAsync()).GetProperty("type").GetString());
        await AssertServerServesOthersAsync();
    }

    [Fact]
    public async Task ErrorRepliesToFramesWithAWrongFieldCarryTheRequestId()
    {
        await using var socket = await ConnectAsync("bad-fields");

        (string Frame, long Id)[] frames =
        [
            ("""{"type":"subscribe","id":5,"channel":42}""", 5),
            ("""{"type":"subscribe","id":6,"channel":"chat:a","since":"abc"}""", 6),
            ("""{"type":"subscribe","id":8,"channel":"chat:a","since":-1}""", 8),
            ("""{"type":7,"id":7}""", 7),
        ];
        foreach (var (frame, id) in frames)
        {
            await socket.SendRawAsync(Encoding.UTF8.GetBytes(frame));
            var reply = await socket.NextAsync();
            Assert.Equal("error", reply.GetProperty("type").GetString());
            Assert.Equal("bad_json", reply.GetProperty("code").GetString());
            Assert.True(reply.TryGetProperty("id", out var replyId), $"no id in the reply to {frame}: {reply}");
            Assert.Equal(id, replyId.GetInt64());
        }
    }

    [Fact]
    public async Task InvalidUtf8ClosesWith1007()
    {
        await using var socket = await ConnectAsync("utf8");

        await socket.SendRawAsync([(byte)'{', 0xC3, 0x28, (byte)'}']);

        var (status, reason) = await socket.Closed.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Equal("invalid_utf8", reason);
        await AssertServerServesOthersAsync();
    }

    [Fact]
    public async Task FrameOverTheSizeLimitClosesWith1009()
    {
        await using var socket = await ConnectAsync("oversize");

        await socket.SendRawAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"publish\",\"channel\":\"live:x\",\"data\":\"{new string('x', 9000)}\"}}"));

        var (status, reason) = await socket.Closed.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("message_too_big", reason);
        await AssertServerServesOthersAsync();
    }

    [Fact]
    public async Task MessageOverTheNamespaceLimitIsRefusedWithMessageTooLarge()
    {
        await using var socket = await ConnectAsync("too-large");

        var reply = await socket.PublishAsync("chat:limits", new string('y', 2000));

        Assert.Equal("message_too_large", reply.GetProperty("code").GetString());
        Assert.Equal("ack", (await socket.PublishAsync("chat:limits", "small")).GetProperty("type").GetString());
    }

    [Fact]
    public async Task PublishRateAboveTheNamespaceLimitIsRefusedWithRateLimited()
    {
        await using var socket = await ConnectAsync("publish-rate");
        var channel = $"chat:rate-{Guid.NewGuid():N}";

        var replies = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            replies.Add((await socket.PublishAsync(channel, i)).GetProperty("type").GetString()!);
        }

        Assert.Equal(["ack", "ack", "ack"], replies.Take(3));
        Assert.Contains("error", replies.Skip(3));
    }

    [Fact]
    public async Task FramesAboveTheRateAreRefusedAndPersistentAbuseClosesWith1008()
    {
        await using var socket = await ConnectAsync("frame-rate");

        for (var i = 0; i < 40; i++)
        {
            await socket.SendAsync(new { type = "ping", id = i });
        }

        var limited = await socket.NextAsync(f => f.TryGetProperty("code", out var c) && c.GetString() == "rate_limited");
        Assert.Equal("error", limited.GetProperty("type").GetString());
        var (status, reason) = await socket.Closed.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("rate_limited", reason);
        await AssertServerServesOthersAsync();
    }

    [Fact]
    public async Task SubscriptionsBeyondTheLimitAreRefused()
    {
        await using var socket = await ConnectAsync("subscriptions");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("ack", (await socket.SubscribeAsync($"chat:many-{i}")).GetProperty("type").GetString());
        }
        var refused = await socket.SubscribeAsync("chat:many-3");

        Assert.Equal("too_many_subscriptions", refused.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ConnectionsPerUserBeyondTheLimitAreRefusedWith429TooManyConnectionsOnEveryTransport()
    {
        var token = await Tokens.ForAsync(Service, "greedy");
        var sockets = new List<RealtimeSocket>();
        for (var i = 0; i < 3; i++)
        {
            sockets.Add(await RealtimeSocket.ConnectAsync(Service, token));
        }

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => RealtimeSocket.ConnectAsync(Service, token));
        Assert.Contains("429", refused.Message, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = Service };
        // The same ProblemDetails as every other refusal: the documented code as title and type, and when to come back.
        using (var sse = await http.GetAsync($"/connect/sse?channels=chat:a&access_token={token}", HttpCompletionOption.ResponseHeadersRead))
        {
            await AssertTooManyConnectionsAsync(sse);
        }
        using (var poll = await http.GetAsync($"/connect/poll?channels=chat:a&access_token={token}"))
        {
            await AssertTooManyConnectionsAsync(poll);
        }

        await sockets[0].DisposeAsync();
        await WaitUntilAcceptedAsync(token);
        foreach (var socket in sockets.Skip(1))
        {
            await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task SlowConsumerIsClosedWith1013WhenItsQueueIsFull()
    {
        var channel = $"live:flood-{Guid.NewGuid():N}";
        var token = await Tokens.ForAsync(Service, "slow");
        await using var slow = await RealtimeSocket.ConnectAsync(Service, token, startReading: false);
        await slow.SendAsync(new { type = "subscribe", id = 1, channel });
        var publisher = await Tokens.ForAsync(Service, "flooder");
        using (var first = await Tokens.PublishAsync(Service, publisher, channel, "warm-up"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // 6.5 KB messages into a socket nobody reads: the TCP buffers fill, then the 64-frame queue.
        var payload = new string('z', 6500);
        HttpStatusCode? last = null;
        for (var i = 0; i < 3000 && slow.State == WebSocketState.Open; i++)
        {
            using var response = await Tokens.PublishAsync(Service, publisher, channel, payload);
            last = response.StatusCode;
            if (await IsClosedForSlowConsumerAsync())
            {
                break;
            }
        }
        Assert.Equal(HttpStatusCode.OK, last);

        slow.StartReading();
        var (status, reason) = await slow.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((WebSocketCloseStatus)1013, status);
        Assert.Equal("slow_consumer", reason);
        await AssertServerServesOthersAsync();

        async Task<bool> IsClosedForSlowConsumerAsync()
        {
            using var http = new HttpClient { BaseAddress = Service };
            var metrics = await http.GetStringAsync("/metrics");
            return metrics.Split('\n').Any(l => l.StartsWith("realtime_slow_consumer_closes_total", StringComparison.Ordinal) && !l.TrimEnd().EndsWith(" 0", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task UnknownNamespaceInvalidNameAndForeignPrivateChannelAreRefused()
    {
        await using var socket = await ConnectAsync("alice");

        Assert.Equal("unknown_namespace", (await socket.SubscribeAsync("nope:x")).GetProperty("code").GetString());
        Assert.Equal("invalid_channel", (await socket.SubscribeAsync("no namespace")).GetProperty("code").GetString());
        Assert.Equal("forbidden", (await socket.SubscribeAsync("user:bob")).GetProperty("code").GetString());
        Assert.Equal("ack", (await socket.SubscribeAsync("user:alice")).GetProperty("type").GetString());
        Assert.Equal("forbidden", (await socket.PublishAsync("user:bob", "hi")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task TokenPatternsLimitWhereAUserMayPublish()
    {
        var token = await Tokens.ForAsync(Service, "reader-only", subscribe: ["chat:*"], publish: ["feed:news"]);
        await using var socket = await RealtimeSocket.ConnectAsync(Service, token);

        Assert.Equal("ack", (await socket.SubscribeAsync("chat:open")).GetProperty("type").GetString());
        Assert.Equal("forbidden", (await socket.PublishAsync("chat:open", 1)).GetProperty("code").GetString());
        Assert.Equal("forbidden", (await socket.SubscribeAsync("feed:news")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task MissingOrInvalidTokensAndForeignOriginsAreRefused()
    {
        using var http = new HttpClient { BaseAddress = Service };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/connect/sse?channels=chat:a")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/connect/poll?channels=chat:a&access_token=not.a.token")).StatusCode);
        var forged = await Tokens.ForAsync(Service, "mallory");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/connect/poll?channels=chat:a&access_token={forged[..^4]}AAAA")).StatusCode);
        await Assert.ThrowsAsync<WebSocketException>(() => RealtimeSocket.ConnectAsync(Service, "garbage"));

        var token = await Tokens.ForAsync(Service, "browser");
        await Assert.ThrowsAsync<WebSocketException>(() => RealtimeSocket.ConnectAsync(Service, token, origin: "https://evil.example"));
        await using var allowed = await RealtimeSocket.ConnectAsync(Service, token, origin: "https://app.example");
        Assert.Equal("welcome", allowed.Welcome.GetProperty("type").GetString());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/connect/sse?channels=chat:a&access_token={token}");
        request.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task TheWebSocketEndpointChecksTheTokenItselfWithTheBearerSchemesAnswers()
    {
        using var http = new HttpClient { BaseAddress = Service };
        var missing = await http.GetAsync("/connect/ws");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", Assert.Single(missing.Headers.WwwAuthenticate).Scheme);
        var forged = await http.GetAsync("/connect/ws?access_token=not.a.token");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("invalid_token", Assert.Single(forged.Headers.WwwAuthenticate).Parameter);

        var token = await Tokens.ForAsync(Service, "header-token");
        using var plainGet = new HttpRequestMessage(HttpMethod.Get, "/connect/ws");
        plainGet.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var notAnUpgrade = await http.SendAsync(plainGet);
        Assert.Equal(HttpStatusCode.BadRequest, notAnUpgrade.StatusCode);
        Assert.Equal("application/problem+json", notAnUpgrade.Content.Headers.ContentType?.MediaType);

        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("realtime.v1.json");
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        using var timeout = new CancellationTokenSource(RealtimeSocket.DefaultTimeout);
        await socket.ConnectAsync(new UriBuilder(Service) { Scheme = "ws", Path = "/connect/ws" }.Uri, timeout.Token);
        var buffer = new byte[4096];
        var welcome = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal("welcome", JsonDocument.Parse(buffer.AsMemory(0, welcome.Count)).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task HttpPublishAnswersEveryRefusalWithProblemDetails()
    {
        var token = await Tokens.ForAsync(Service, "http-publisher");

        await AssertProblemAsync(await Tokens.PublishRawAsync(Service, token, "chat:p", new StringContent("{oops", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "bad_json");
        await AssertProblemAsync(await Tokens.PublishRawAsync(Service, token, "chat:p", JsonContent.Create(new { other = 1 })), HttpStatusCode.BadRequest, "missing_field");
        await AssertProblemAsync(await Tokens.PublishAsync(Service, token, "nope:p", 1), HttpStatusCode.NotFound, "unknown_namespace");
        await AssertProblemAsync(await Tokens.PublishAsync(Service, token, "user:someone", 1), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await Tokens.PublishAsync(Service, token, "chat:p", new string('q', 2000)), HttpStatusCode.RequestEntityTooLarge, "message_too_large");
        await AssertProblemAsync(await Tokens.PublishAsync(Service, token, "live:p", new string('q', 9000)), HttpStatusCode.RequestEntityTooLarge, "message_too_large");
        using var unauthenticated = new HttpClient { BaseAddress = Service };
        Assert.Equal(HttpStatusCode.Unauthorized, (await unauthenticated.PostAsJsonAsync("/api/channels/chat:p/messages", new { data = 1 })).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await Tokens.PublishAsync(Service, token, "chat:http-rate", i);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                await AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "rate_limited");
                break;
            }
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task LongPollCursorNamingAChannelNotPolledIsRefusedWithProblemDetails()
    {
        var token = await Tokens.ForAsync(Service, "stray-cursor");
        using var http = new HttpClient { BaseAddress = Service };

        using var refused = await http.GetAsync($"/connect/poll?channels=chat:polled&access_token={token}&cursor={Uri.EscapeDataString("chat:polled@0|chat:other@5")}");

        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("chat:other", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertProblemAsync(refused, HttpStatusCode.BadRequest, "cursor_mismatch");
    }

    private static async Task AssertTooManyConnectionsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("too_many_connections", problem.GetProperty("title").GetString());
        Assert.Equal("https://realtime-aspire.dev/errors/too_many_connections", problem.GetProperty("type").GetString());
        Assert.Contains("MaxConnectionsPerUser", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("title").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    private async Task<RealtimeSocket> ConnectAsync(string user) => await RealtimeSocket.ConnectAsync(Service, await Tokens.ForAsync(Service, user));

    private async Task AssertServerServesOthersAsync()
    {
        var channel = $"live:others-{Guid.NewGuid():N}";
        await using var other = await ConnectAsync($"bystander-{Guid.NewGuid():N}");
        await other.SubscribeAsync(channel);
        Assert.Equal("ack", (await other.PublishAsync(channel, "still here")).GetProperty("type").GetString());
        Assert.Equal("still here", (await other.MessagesAsync(channel, 1))[0].GetProperty("data").GetString());
    }

    private async Task WaitUntilAcceptedAsync(string token)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                await using var socket = await RealtimeSocket.ConnectAsync(Service, token);
                return;
            }
            catch (WebSocketException)
            {
                await Task.Delay(50);
            }
        }
        Assert.Fail("A freed connection slot was never given back.");
    }
}
