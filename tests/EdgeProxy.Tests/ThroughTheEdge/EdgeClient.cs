using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using RealtimeAspire.EdgeProxy.Affinity;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

/// <summary>
/// A client of the edge as the platform's clients use it: no cookie jar (each test says which affinity carrier
/// it uses), tokens from the development token API, WebSockets with the v1 subprotocol. Every call is bounded.
/// </summary>
public sealed class EdgeClient : IDisposable
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    public EdgeClient(Uri baseAddress)
    {
        BaseAddress = baseAddress;
        Http = new HttpClient(new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = baseAddress,
            Timeout = CallTimeout,
        };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public void Dispose() => Http.Dispose();

    public async Task<string> DevTokenAsync(string user)
    {
        using var response = await Http.PostAsJsonAsync("/api/dev/token", new { user });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("token").GetString()!;
    }

    public async Task<string[]> DevTokensAsync(string prefix, int count)
    {
        var tokens = new string[count];
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                tokens[i] = await DevTokenAsync($"{prefix}-{i}");
            }
            finally
            {
                gate.Release();
            }
        })).WaitAsync(TimeSpan.FromSeconds(60));
        return tokens;
    }

    /// <summary><c>GET /connect/info</c> with the key in the given carrier ("header", "query", "cookie") or none.</summary>
    public async Task<InfoResponse> InfoAsync(string? token, string? key = null, string carrier = "header")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, carrier == "query" && key is not null
            ? $"/connect/info?{AffinityConventions.QueryParameter}={Uri.EscapeDataString(key)}"
            : "/connect/info");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (key is not null && carrier == "header")
        {
            request.Headers.Add(AffinityConventions.ClientHeader, key);
        }
        if (key is not null && carrier == "cookie")
        {
            request.Headers.Add("Cookie", $"{AffinityConventions.DefaultCookieName}={key}");
        }
        using var response = await Http.SendAsync(request);
        string? replica = null;
        if (response.StatusCode == HttpStatusCode.OK)
        {
            replica = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replica").GetString();
        }
        return new InfoResponse(
            response.StatusCode,
            replica,
            response.Headers.TryGetValues(AffinityConventions.ClientHeader, out var keys) ? keys.Single() : null,
            response.Headers.TryGetValues("Set-Cookie", out var cookies) ? string.Join("; ", cookies) : null);
    }

    /// <summary>Opens a WebSocket through the edge and reads its <c>welcome</c> frame.</summary>
    public async Task<RealtimeSocket> ConnectWebSocketAsync(string token, string? key = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("realtime.v1.json");
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        if (key is not null)
        {
            socket.Options.SetRequestHeader(AffinityConventions.ClientHeader, key);
        }
        var uri = new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/connect/ws" }.Uri;
        try
        {
            using var cts = new CancellationTokenSource(CallTimeout);
            await socket.ConnectAsync(uri, cts.Token);
            var welcome = await RealtimeSocket.ReceiveFrameAsync(socket, CallTimeout);
            Assert.Equal("welcome", welcome.GetProperty("type").GetString());
            var responseKey = socket.HttpResponseHeaders is { } headers && headers.TryGetValue(AffinityConventions.ClientHeader, out var values) ? values.Single() : null;
            return new RealtimeSocket(socket, welcome.GetProperty("replica").GetString()!, welcome.GetProperty("affinity").GetString(), responseKey);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public sealed record InfoResponse(HttpStatusCode Status, string? Replica, string? Key, string? SetCookie);
}

/// <summary>An open WebSocket through the edge with what its handshake and welcome said.</summary>
public sealed class RealtimeSocket(ClientWebSocket socket, string replica, string? welcomeAffinity, string? responseKey) : IAsyncDisposable
{
    public ClientWebSocket Socket { get; } = socket;

    public string Replica { get; } = replica;

    /// <summary>The <c>affinity</c> of the welcome frame: the key the edge forwarded in <c>X-Edge-Affinity</c>.</summary>
    public string? WelcomeAffinity { get; } = welcomeAffinity;

    /// <summary>The key in the handshake response's <c>X-Realtime-Affinity</c>.</summary>
    public string? ResponseKey { get; } = responseKey;

    public Task<JsonElement> ReceiveAsync(TimeSpan timeout) => ReceiveFrameAsync(Socket, timeout);

    public static async Task<JsonElement> ReceiveFrameAsync(WebSocket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"Closed: {result.CloseStatus} {result.CloseStatusDescription}");
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The other side is gone already (a killed replica): nothing to close.
        }
        finally
        {
            Socket.Dispose();
        }
    }
}
