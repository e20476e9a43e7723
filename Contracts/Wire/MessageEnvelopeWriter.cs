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
            writer.WriteString(WireFields.MsgId, m.msgId);
            writer.WriteString(WireFields.Channel, m.channel);
            writer.WriteNumber(WireFields.Seq, m.seq);
            writer.WriteString(WireFields.From, m.from);
            writer.WriteNumber(WireFields.Ts, m.ts);
            writer.WritePropertyName(WireFields.Data);
            writer.WriteRawValue(m.data.Span, skipInputValidation: true);
            if (m.traceParent is not null)
            {
                writer.WriteString(WireFields.TraceParent, m.traceParent);
            }
            if (m.traceState is not null)
            {
                writer.WriteString(WireFields.TraceState, m.traceState);
            }
            writer.WriteEndObject();
        });
}
