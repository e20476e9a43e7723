namespace RealtimeAspire.ConnectionService.Diagnostics;

/// <summary>Transport names, as metrics and logs tag them.</summary>
public static class TransportNames
{
    public const string WebSocket = "websocket";
    public const string ServerSentEvents = "sse";
    public const string LongPolling = "longpoll";
    public const string Http = "http";
}
