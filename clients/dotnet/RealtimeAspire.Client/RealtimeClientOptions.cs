namespace RealtimeAspire.Client;

/// <summary>Section <c>RealtimeClient</c>. <see cref="EdgeUrl"/> defaults to Aspire's <c>services:edge:http:0</c> under DI.</summary>
public sealed class RealtimeClientOptions
{
    public const string SectionName = "RealtimeClient";

    public static readonly TimeSpan DefaultBackoffBase = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DefaultBackoffMax = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultGapFillDelay = TimeSpan.FromMilliseconds(500);
    public const int DefaultMessageBufferCapacity = 10_000;
    public static readonly TimeSpan DefaultUpgradeAfter = TimeSpan.FromSeconds(60);

    public Uri? EdgeUrl { get; set; }

    /// <summary>A fixed token; or set <see cref="TokenProvider"/>, asked again when the server refuses the token.</summary>
    public string? Token { get; set; }

    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>
    /// The edge's affinity key to start with (sent as <c>X-Realtime-Affinity</c>): the first connection lands on the
    /// replica the key names, while that replica is in rotation. A key is opaque, learnt from the edge (a response's
    /// <c>X-Realtime-Affinity</c> header or a <c>welcome</c> frame's <c>affinity</c>): a service that must meet other
    /// clients on one replica, or a test that pins replicas. After that the client carries the key the edge hands
    /// back, as it always does; a forged or stale key is simply replaced. Null (the default): the edge chooses.
    /// </summary>
    public string? AffinityKey { get; set; }

    /// <summary>Proxy, certificates or headers of the WebSocket (SSE and long polling use the HttpClient given to the client).</summary>
    public Action<System.Net.WebSockets.ClientWebSocketOptions>? ConfigureWebSocket { get; set; }

    /// <summary>In order of preference; one entry forces that transport.</summary>
    public IList<RealtimeTransport> Transports { get; set; } = [RealtimeTransport.WebSocket, RealtimeTransport.ServerSentEvents, RealtimeTransport.LongPolling];

    /// <summary>Full-jitter backoff: delay = random(0, min(<see cref="BackoffMax"/>, <see cref="BackoffBase"/>·2^attempt)).</summary>
    public TimeSpan BackoffBase { get; set; } = DefaultBackoffBase;

    public TimeSpan BackoffMax { get; set; } = DefaultBackoffMax;

    /// <summary>
    /// True (the default): full jitter, as above. False: every delay is the ceiling itself, min(<see cref="BackoffMax"/>,
    /// <see cref="BackoffBase"/>·2^attempt) — clients dropped together then come back together. For comparison
    /// (the reconnect-storm scenario measures both) and for tests that need a predictable delay; not for production.
    /// </summary>
    public bool BackoffJitter { get; set; } = true;

    /// <summary>How long a transport may take to open and say welcome before the next is tried.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>How long a gap in a channel's sequence may stay open before the history API is asked.</summary>
    public TimeSpan GapFillDelay { get; set; } = DefaultGapFillDelay;

    /// <summary>Messages a subscription holds for a slow reader; beyond, it ends with <see cref="ClientErrorCodes.SlowConsumer"/>.</summary>
    public int MessageBufferCapacity { get; set; } = DefaultMessageBufferCapacity;

    /// <summary>
    /// Connected on a worse transport than the first of <see cref="Transports"/> (a fallback): try the better ones
    /// again after this long, in the background, without dropping the working one. <see cref="TimeSpan.Zero"/> = never.
    /// </summary>
    public TimeSpan UpgradeAfter { get; set; } = DefaultUpgradeAfter;

    /// <summary>Every problem, each naming the setting to fix (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (EdgeUrl is null || !EdgeUrl.IsAbsoluteUri || EdgeUrl.Scheme is not ("http" or "https"))
        {
            errors.Add($"{SectionName}:{nameof(EdgeUrl)} must be an absolute http(s) URL (or set services:edge:http:0).");
        }
        if (Token is null && TokenProvider is null)
        {
            errors.Add($"{SectionName}:{nameof(Token)} or {nameof(TokenProvider)} must be set.");
        }
        if (Transports is null || Transports.Count == 0 || Transports.Distinct().Count() != Transports.Count || Transports.Any(t => !Enum.IsDefined(t)))
        {
            errors.Add($"{SectionName}:{nameof(Transports)} must list distinct transports ({string.Join(", ", Enum.GetNames<RealtimeTransport>())}).");
        }
        if (BackoffBase <= TimeSpan.Zero || BackoffMax < BackoffBase)
        {
            errors.Add($"{SectionName}:{nameof(BackoffBase)} must be positive and {nameof(BackoffMax)} at least as large.");
        }
        if (AffinityKey is { } key && (key.Length == 0 || key.Any(char.IsControl)))
        {
            errors.Add($"{SectionName}:{nameof(AffinityKey)} must be a non-empty header value (or null to let the edge choose).");
        }
        if (ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(ConnectTimeout)} must be positive.");
        }
        if (GapFillDelay < TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(GapFillDelay)} must not be negative.");
        }
        if (UpgradeAfter < TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:{nameof(UpgradeAfter)} must not be negative (0 = never upgrade).");
        }
        if (MessageBufferCapacity < 1)
        {
            errors.Add($"{SectionName}:{nameof(MessageBufferCapacity)} must be at least 1.");
        }
        return errors;
    }
}
