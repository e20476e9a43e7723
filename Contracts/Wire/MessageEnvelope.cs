using System.Text.Json;

namespace RealtimeAspire.Contracts.Wire;

/// <summary>
/// A published message as it travels on Kafka topic <see cref="KafkaTopics.Messages"/> (key = channel, value = this
/// as JSON, camelCase): the durable record Message.Service persists. <see cref="Data"/> is the publisher's JSON value.
/// <see cref="TraceParent"/>/<see cref="TraceState"/> continue the publish trace (W3C trace context).
/// </summary>
public sealed record MessageEnvelope(
    string MsgId,
    string Channel,
    long Seq,
    string From,
    long Ts,
    JsonElement Data,
    string? TraceParent = null,
    string? TraceState = null)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads an envelope as <see cref="MessageEnvelopeWriter"/> wrote it; null for JSON <c>null</c>. Throws <see cref="JsonException"/> when it is not JSON of this shape.</summary>
    public static MessageEnvelope? Read(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<MessageEnvelope>(json, s_json);
}
