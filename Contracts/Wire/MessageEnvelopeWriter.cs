namespace RealtimeAspire.Contracts.Wire;

/// <summary>
/// Writes <see cref="MessageEnvelope"/> JSON directly, with the client's data bytes copied verbatim:
/// no parse of the payload on the hot path.
/// </summary>
public static class MessageEnvelopeWriter
{
    public static byte[] Write(string msgId, string channel, long seq, string from, long ts, ReadOnlyMemory<byte> data, string? traceParent, string? traceState) =>
        JsonFrameWriter.Write((msgId, channel, seq, from, ts, data, traceParent, traceState), static (writer, m) =>
        {
            writer.WriteStartObject();
            writer.WriteString("msgId", m.msgId);
            writer.WriteString("channel", m.channel);
            writer.WriteNumber("seq", m.seq);
            writer.WriteString("from", m.from);
            writer.WriteNumber("ts", m.ts);
            writer.WritePropertyName("data");
            writer.WriteRawValue(m.data.Span, skipInputValidation: true);
            if (m.traceParent is not null)
            {
                writer.WriteString("traceParent", m.traceParent);
            }
            if (m.traceState is not null)
            {
                writer.WriteString("traceState", m.traceState);
            }
            writer.WriteEndObject();
        });
}
