namespace RealtimeAspire.Client;

/// <summary>The three transports of protocol v1, best first.</summary>
public enum RealtimeTransport
{
    WebSocket,
    ServerSentEvents,
    LongPolling,
}
