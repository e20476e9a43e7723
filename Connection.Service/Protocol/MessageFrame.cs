using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace RealtimeAspire.ConnectionService.Protocol;

/// <summary>
/// The <c>message</c> frame, serialised once per message for every subscriber on every replica:
/// <c>{"type":"message","channel":…,"msgId":…,"from":…,"ts":…,"data":…,"seq":N}</c>. The sequence number is
/// assigned inside the Redis publish script, so the frame is built as a prefix and a suffix around it and the
/// script joins them; <c>seq</c> comes last for that reason.
/// </summary>
public static class MessageFrame
{
    private static readonly byte[] s_suffix = "}"u8.ToArray();

    public static (byte[] Prefix, byte[] Suffix) Build(string channel, string msgId, string from, long ts, ReadOnlySpan<byte> data)
    {
        var buffer = new ArrayBufferWriter<byte>(data.Length + 160);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "message");
            writer.WriteString("channel", channel);
            writer.WriteString("msgId", msgId);
            writer.WriteString("from", from);
            writer.WriteNumber("ts", ts);
            writer.WritePropertyName("data");
            writer.WriteRawValue(data, skipInputValidation: true);
            writer.WritePropertyName("seq");
            writer.Flush();
        }
        // The writer left off after `"seq":`, where the script puts the number.
        return (buffer.WrittenSpan.ToArray(), s_suffix);
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
