using System.Buffers.Text;

namespace RealtimeAspire.Contracts.Wire;

/// <summary>
/// The <c>message</c> frame, serialised once per message for every subscriber on every replica:
/// <c>{"type":"message","channel":…,"msgId":…,"from":…,"ts":…,"data":…,"seq":N}</c>. The sequence number is
/// assigned inside the Redis publish script, so the frame is built as a prefix and a suffix around it and the
/// script joins them; <c>seq</c> comes last for that reason.
/// </summary>
public static class MessageFrame
{
    private static readonly byte[] s_suffix = "}"u8.ToArray();

    public static (byte[] Prefix, byte[] Suffix) Build(string channel, string msgId, string from, long ts, ReadOnlyMemory<byte> data)
    {
        var prefix = JsonFrameWriter.Write((channel, msgId, from, ts, data), static (writer, m) =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "message");
            writer.WriteString("channel", m.channel);
            writer.WriteString("msgId", m.msgId);
            writer.WriteString("from", m.from);
            writer.WriteNumber("ts", m.ts);
            writer.WritePropertyName("data");
            writer.WriteRawValue(m.data.Span, skipInputValidation: true);
            // Left off after `"seq":`, where the script puts the number.
            writer.WritePropertyName("seq");
        });
        return (prefix, s_suffix);
    }

    /// <summary>
    /// Client JSON may be pretty-printed. Line breaks in JSON can only be whitespace between tokens (inside strings
    /// they must be escaped), so turning them into spaces keeps the value and makes every frame one line, as an
    /// SSE <c>data:</c> field needs.
    /// </summary>
    public static ReadOnlyMemory<byte> SingleLine(ReadOnlyMemory<byte> json)
    {
        if (json.Span.IndexOfAny((byte)'\n', (byte)'\r') < 0)
        {
            return json;
        }
        var copy = json.ToArray();
        copy.AsSpan().Replace((byte)'\n', (byte)' ');
        copy.AsSpan().Replace((byte)'\r', (byte)' ');
        return copy;
    }

    /// <summary>A complete frame, for ephemeral messages that have no sequence (seq 0).</summary>
    public static byte[] Complete(byte[] prefix, long seq)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(seq, digits, out var written);
        var frame = new byte[prefix.Length + written + s_suffix.Length];
        prefix.CopyTo(frame, 0);
        digits[..written].CopyTo(frame.AsSpan(prefix.Length));
        s_suffix.CopyTo(frame, prefix.Length + written);
        return frame;
    }
}
