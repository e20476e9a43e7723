using System.Buffers.Text;
using System.Text;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Fanout;

/// <summary>
/// The pub/sub payload: a short header then the frame, <c>{seq} {publishedAtMs} {kind}\n{frame JSON}</c>, so a
/// replica learns position, age and kind without parsing JSON. The publish script writes the same layout.
/// </summary>
public static class FanoutPayload
{
    public static byte[] Create(long seq, long publishedAtMs, FrameKind kind, ReadOnlySpan<byte> frame)
    {
        var header = Encoding.ASCII.GetBytes($"{seq} {publishedAtMs} {KindCode(kind)}\n");
        var payload = new byte[header.Length + frame.Length];
        header.CopyTo(payload, 0);
        frame.CopyTo(payload.AsSpan(header.Length));
        return payload;
    }

    public static char KindCode(FrameKind kind) => kind switch
    {
        FrameKind.Message => 'm',
        FrameKind.Typing => 't',
        FrameKind.Presence => 'p',
        _ => 'c',
    };

    public static bool TryParse(ReadOnlyMemory<byte> payload, out LiveMessage message)
    {
        message = default;
        var span = payload.Span;
        var newline = span.IndexOf((byte)'\n');
        if (newline < 5
            || !Utf8Parser.TryParse(span, out long seq, out var seqLength) || span[seqLength] != (byte)' '
            || !Utf8Parser.TryParse(span[(seqLength + 1)..], out long publishedAt, out var tsLength))
        {
            return false;
        }
        var kindAt = seqLength + 1 + tsLength + 1;
        if (kindAt + 1 != newline)
        {
            return false;
        }
        var kind = span[kindAt] switch
        {
            (byte)'m' => FrameKind.Message,
            (byte)'t' => FrameKind.Typing,
            (byte)'p' => FrameKind.Presence,
            _ => FrameKind.Control,
        };
        message = new LiveMessage(seq, publishedAt, kind, payload[(newline + 1)..]);
        return true;
    }
}
