using System.Net.WebSockets;

namespace RealtimeAspire.ConnectionService.Protocol;

/// <summary>Why the server closes a WebSocket: the close status and its reason text, in one place.</summary>
public readonly record struct CloseReason(WebSocketCloseStatus Status, string Reason)
{
    public static readonly CloseReason Normal = new(WebSocketCloseStatus.NormalClosure, "bye");

    /// <summary>End of a drain window: the client was told to reconnect and did not.</summary>
    public static readonly CloseReason Drain = new(WebSocketCloseStatus.EndpointUnavailable, "drain");

    /// <summary>1013 Try Again Later: its outbound queue filled up.</summary>
    public static readonly CloseReason SlowConsumer = new((WebSocketCloseStatus)1013, ErrorCodes.SlowConsumer);

    public static readonly CloseReason MessageTooBig = new(WebSocketCloseStatus.MessageTooBig, "message_too_big");

    public static readonly CloseReason InvalidUtf8 = new(WebSocketCloseStatus.InvalidPayloadData, "invalid_utf8");

    /// <summary>Kept sending refused frames (over its rate) after being told.</summary>
    public static readonly CloseReason RateLimited = new(WebSocketCloseStatus.PolicyViolation, "rate_limited");

    public static readonly CloseReason InternalError = new(WebSocketCloseStatus.InternalServerError, "internal_error");
}
