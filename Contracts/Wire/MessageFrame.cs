using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace RealtimeAspire.Contracts.Wire;

/// <summary>
/// The <c>message</c> frame, serialised once per message for every subscriber on every replica:
/// <c>{"type":"message","channel":…,"msgId":…,"from":…,"ts":…,"data":…,"seq":N}</c>. The sequence number is
/// assigned inside the Redis publish script, so the frame is built as a prefix and a suffix around it and the
/// script joins them; <c>seq</c> comes last for that reason. Read back by <see cref="TryParse"/> (Message.Service
/// repairs gaps from the frames in Redis history).
/// </summary>
public static class MessageFrame
{
    private static readonly byte[] s_suffix = "}"u8.ToArray();

    public static (byte[] Prefix, byte[] Suffix) Build(string channel, string msgId, string from, long ts, ReadOnlyMemory<byte> data)
    {
        var prefix = JsonFrameWriter.Write((channel, msgId, from, ts, data), static (writer, m) =>
        {
            writer.WriteStartObject();
            writer.WriteString(WireFields.Type, WireFields.MessageType);
            writer.WriteString(WireFields.Channel, m.channel);
            writer.WriteString(WireFields.MsgId, m.msgId);
            writer.WriteString(WireFields.From, m.from);
            writer.WriteNumber(WireFields.Ts, m.ts);
            writer.WritePropertyName(WireFields.Data);
            writer.WriteRawValue(m.data.Span, skipInputValidation: true);
            // Left off after `"seq":`, where the script puts the number.
            writer.WritePropertyName(WireFields.Seq);
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

    /// <summary>A whole <c>message</c> frame's fields, or false when it is not one (malformed, another type, a field missing).</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, [NotNullWhen(true)] out MessageFrameContent? message)
    {
        message = null;
        try
        {
            var reader = new Utf8JsonReader(frame);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(WireFields.Type, out var type) || type.ValueKind != JsonValueKind.String || !type.ValueEquals(WireFields.MessageType)
                || !root.TryGetProperty(WireFields.Channel, out var channel) || channel.ValueKind != JsonValueKind.String
                || !root.TryGetProperty(WireFields.MsgId, out var msgId) || msgId.ValueKind != JsonValueKind.String
                || !root.TryGetProperty(WireFields.From, out var from) || from.ValueKind != JsonValueKind.String
                || !root.TryGetProperty(WireFields.Ts, out var ts) || !ts.TryGetInt64(out var tsValue)
                || !root.TryGetProperty(WireFields.Data, out var data)
                || !root.TryGetProperty(WireFields.Seq, out var seq) || !seq.TryGetInt64(out var seqValue))
            {
                return false;
            }
            message = new MessageFrameContent(channel.GetString()!, seqValue, msgId.GetString()!, from.GetString()!, tsValue, data.GetRawText());
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
