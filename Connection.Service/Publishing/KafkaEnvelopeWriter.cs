using System.Buffers;
using System.Text.Json;

namespace RealtimeAspire.ConnectionService.Publishing;

/// <summary>
/// Writes <see cref="Contracts.MessageEnvelope"/> JSON directly, with the client's data bytes copied verbatim:
/// no parse of the payload on the hot path.
/// </summary>
public static class KafkaEnvelopeWriter
{
    public static byte[] Write(string msgId, string channel, long seq, string from, long ts, ReadOnlySpan<byte> data, string? traceParent, string? traceState)
    {
        var buffer = new ArrayBufferWriter<byte>(data.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("msgId", msgId);
            writer.WriteString("channel", channel);
            writer.WriteNumber("seq", seq);
            writer.WriteString("from", from);
            writer.WriteNumber("ts", ts);
            writer.WritePropertyName("data");
            writer.WriteRawValue(data, skipInputValidation: true);
            if (traceParent is not null)
            {
                writer.WriteString("traceParent", traceParent);
            }
            if (traceState is not null)
            {
                writer.WriteString("traceState", traceState);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
