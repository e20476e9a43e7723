namespace RealtimeAspire.ConnectionService.Protocol;

/// <summary>The <c>code</c> of every <c>error</c> frame (and ProblemDetails <c>type</c> suffix of the HTTP API). docs/protocol.md lists them.</summary>
public static class ErrorCodes
{
    public const string BadJson = "bad_json";
    public const string BinaryNotSupported = "binary_not_supported";
    public const string UnknownType = "unknown_type";
    public const string MissingField = "missing_field";
    public const string InvalidChannel = "invalid_channel";
    public const string UnknownNamespace = "unknown_namespace";
    public const string Forbidden = "forbidden";
    public const string MessageTooLarge = "message_too_large";
    public const string RateLimited = "rate_limited";
    public const string TooManySubscriptions = "too_many_subscriptions";
    public const string NotSubscribed = "not_subscribed";
    public const string HistoryUnavailable = "history_unavailable";
    public const string PublishFailed = "publish_failed";
    public const string TypingDisabled = "typing_disabled";
    public const string Draining = "draining";

    /// <summary>SSE's final <c>event: error</c> when the stream is closed as a slow consumer (WebSocket: close 1013 with this reason).</summary>
    public const string SlowConsumer = "slow_consumer";

    /// <summary>A resume position (<c>since</c>, <c>Last-Event-ID</c>, cursor) beyond the channel's last sequence; the error carries the current one.</summary>
    public const string PositionAhead = "position_ahead";

    /// <summary>
    /// HTTP 429 before the upgrade or stream: the user already holds <c>Connections:Limits:MaxConnectionsPerUser</c>
    /// connections on this replica.
    /// </summary>
    public const string TooManyConnections = "too_many_connections";

    /// <summary>A long-poll cursor naming a channel that is not in <c>?channels=</c> (HTTP 400).</summary>
    public const string CursorMismatch = "cursor_mismatch";

    /// <summary>A browser <c>Origin</c> neither the one the request was addressed to nor listed in <c>Cors:AllowedOrigins</c> (HTTP 403, before any stream).</summary>
    public const string OriginNotAllowed = OriginRefusal.Code;
}
