using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Connections;

/// <summary>
/// One frame waiting in a connection's outbound queue. <see cref="Json"/> is shared by every subscriber of a
/// message (serialised once); transports wrap it in their own framing (WebSocket text message, SSE event, poll array).
/// </summary>
public readonly record struct OutboundFrame(FrameKind Kind, ReadOnlyMemory<byte> Json, string? Channel = null, long Seq = 0)
{
    public static OutboundFrame Control(byte[] json) => new(FrameKind.Control, json);
}
