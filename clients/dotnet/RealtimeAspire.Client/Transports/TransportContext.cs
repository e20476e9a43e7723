using System.Text.Json;

namespace RealtimeAspire.Client.Transports;

/// <summary>What every transport gets from its client: the edge, HTTP, the token, the affinity key, and where frames go.</summary>
internal sealed class TransportContext(
    RealtimeClientOptions options,
    HttpClient http,
    Func<bool, CancellationToken, ValueTask<string>> token,
    Func<IReadOnlyList<(string Channel, long? Seq)>> acceptedPositions,
    Func<string, long?> seqOf,
    Action<IRealtimeConnection, JsonElement> frame)
{
    public const string AffinityHeader = "X-Realtime-Affinity";
    public const string ReplicaHeader = "X-Realtime-Replica";
    public const string Subprotocol = "realtime.v1.json";

    public RealtimeClientOptions Options { get; } = options;

    public Uri EdgeUrl { get; } = options.EdgeUrl!;

    public HttpClient Http { get; } = http;

    /// <summary>The edge's key for the replica this client is stuck to (sent back on every request).</summary>
    public string? Affinity { get; set; } = options.AffinityKey;

    public ValueTask<string> TokenAsync(bool refresh, CancellationToken cancellationToken) => token(refresh, cancellationToken);

    /// <summary>Channels the server accepted before, with their last delivered sequence (a new stream resumes them).</summary>
    public IReadOnlyList<(string Channel, long? Seq)> AcceptedPositions() => acceptedPositions();

    public long? SeqOf(string channel) => seqOf(channel);

    public void Frame(IRealtimeConnection connection, JsonElement element) => frame(connection, element);

    public Uri Url(string pathAndQuery) => new(EdgeUrl, pathAndQuery);

    /// <summary>An authorised request with the affinity key; one retry with a fresh token after a 401.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = create();
            request.Headers.Authorization = new("Bearer", await TokenAsync(attempt > 0, cancellationToken));
            if (Affinity is { } affinity)
            {
                request.Headers.TryAddWithoutValidation(AffinityHeader, affinity);
            }
            var response = await Http.SendAsync(request, completion, cancellationToken);
            if (response.Headers.TryGetValues(AffinityHeader, out var keys) && keys.FirstOrDefault() is { Length: > 0 } key)
            {
                Affinity = key;
            }
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && attempt == 0)
            {
                response.Dispose();
                continue;
            }
            return response;
        }
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter is { } retry
            ? retry.Delta ?? (retry.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : null;

    /// <summary>The ProblemDetails <c>title</c> is the protocol's error code.</summary>
    public static async Task<(string Code, string Detail)> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = document.RootElement;
            var code = root.TryGetProperty("title", out var title) ? title.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return (code ?? $"http_{(int)response.StatusCode}", detail ?? response.ReasonPhrase ?? "");
        }
        catch (JsonException)
        {
            return ($"http_{(int)response.StatusCode}", response.ReasonPhrase ?? "");
        }
    }

    public static async Task<ConnectFailure> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var (code, detail) = await ProblemAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        var kind = status switch
        {
            401 => ConnectFailureKind.Unauthorized,
            429 or >= 500 => ConnectFailureKind.Server,
            400 or 403 or 404 when code is "forbidden" or "unknown_namespace" or "invalid_channel" or "too_many_subscriptions" => ConnectFailureKind.Channel,
            _ => ConnectFailureKind.Transport,
        };
        return new ConnectFailure(kind, $"{status} {code}: {detail}", RetryAfter(response), code);
    }

    public async Task<RealtimeException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var (code, detail) = await ProblemAsync(response, cancellationToken);
        return new RealtimeException(code, detail, (int)response.StatusCode, RetryAfter(response));
    }

    /// <summary>Publish over HTTP (SSE and long polling send this way): <c>POST /api/channels/{channel}/messages</c>.</summary>
    public async Task<PublishAck> PublishOverHttpAsync(string channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var body = new byte[data.Length + 9];
        "{\"data\":"u8.CopyTo(body);
        data.Span.CopyTo(body.AsSpan(8));
        body[^1] = (byte)'}';
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url($"/api/channels/{Uri.EscapeDataString(channel)}/messages"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        }, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken);
        }
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return new PublishAck(document.RootElement.GetProperty("seq").GetInt64(), document.RootElement.GetProperty("msgId").GetString()!);
    }

    /// <summary>Typing over HTTP: <c>POST /api/channels/{channel}/typing</c>, 204 whether the hint went out or was too soon.</summary>
    public async Task TypingOverHttpAsync(string channel, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url($"/api/channels/{Uri.EscapeDataString(channel)}/typing")),
            HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, cancellationToken);
        }
    }
}
