namespace RealtimeAspire.ConnectionService.Protocol;

/// <summary>The HTTP headers of the protocol (docs/protocol.md).</summary>
public static class RealtimeHeaders
{
    /// <summary>On every response: the replica that answered (set once, by a middleware).</summary>
    public const string Replica = "X-Realtime-Replica";

    /// <summary>SSE and long poll: the connection's id, as the WebSocket <c>welcome</c> carries it.</summary>
    public const string Connection = "X-Realtime-Connection";

    /// <summary>Set by the edge: the affinity token the <c>welcome</c> hands back to the client.</summary>
    public const string EdgeAffinity = "X-Edge-Affinity";
}
