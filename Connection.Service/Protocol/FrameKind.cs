namespace RealtimeAspire.ConnectionService.Protocol;

/// <summary>What a frame is, as the fan-out header and the transports tell frames apart.</summary>
public enum FrameKind : byte
{
    /// <summary>A channel message: durable ones carry a position.</summary>
    Message,
    Presence,
    Typing,
    /// <summary>welcome, ack, error, pong, reconnect.</summary>
    Control,
    /// <summary>Keeps an idle stream open through proxies (SSE comment); carries nothing.</summary>
    Heartbeat,
}
