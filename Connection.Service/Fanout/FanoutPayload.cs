using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.Contracts.Wire;

namespace RealtimeAspire.ConnectionService.Fanout;

/// <summary>
/// The pub/sub payload as this service sees it: <see cref="FanoutHeader"/>'s bytes, with its kind as a
/// <see cref="FrameKind"/> and its frame as a <see cref="LiveMessage"/>.
/// </summary>
public static class FanoutPayload
{
    public static byte[] Create(long seq, long publishedAtMs, FrameKind kind, ReadOnlySpan<byte> frame) =>
        FanoutHeader.Create(seq, publishedAtMs, KindCode(kind), frame);

    public static byte KindCode(FrameKind kind) => kind switch
    {
        FrameKind.Message => FanoutHeader.Message,
        FrameKind.Typing => FanoutHeader.Typing,
        FrameKind.Presence => FanoutHeader.Presence,
        _ => FanoutHeader.Control,
    };

    public static bool TryParse(ReadOnlyMemory<byte> payload, out LiveMessage message)
    {
        message = default;
        if (!FanoutHeader.TryParse(payload.Span, out var seq, out var publishedAt, out var code, out var frameStart))
        {
            return false;
        }
        var kind = code switch
        {
            FanoutHeader.Message => FrameKind.Message,
            FanoutHeader.Typing => FrameKind.Typing,
            FanoutHeader.Presence => FrameKind.Presence,
            _ => FrameKind.Control,
        };
        message = new LiveMessage(seq, publishedAt, kind, payload[frameStart..]);
        return true;
    }
}
