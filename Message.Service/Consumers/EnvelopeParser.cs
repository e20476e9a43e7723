using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Wire;
using RealtimeAspire.MessageService.Data;
using RealtimeAspire.MessageService.Persistence;

namespace RealtimeAspire.MessageService.Consumers;

/// <summary>
/// Turns a Kafka record of topic <c>messages</c> into an <see cref="IncomingMessage"/>, or says why it cannot be
/// persisted (the <c>dlq-reason</c> header). Everything a database write could later refuse is refused here, so a
/// bad record goes to the dead-letter topic instead of stalling its partition.
/// </summary>
public static class EnvelopeParser
{
    public static bool TryParse(string? key, ReadOnlySpan<byte> value, [NotNullWhen(true)] out IncomingMessage? message, [NotNullWhen(false)] out string? reason)
    {
        message = null;
        MessageEnvelope? envelope;
        try
        {
            envelope = MessageEnvelope.Read(value);
        }
        catch (JsonException ex)
        {
            reason = $"invalid-json: {ex.Message}";
            return false;
        }
        if (envelope is null)
        {
            reason = "invalid-envelope: null";
            return false;
        }
        reason = Validate(envelope, key);
        if (reason is not null)
        {
            return false;
        }
        var traceParent = envelope.TraceParent is { Length: <= StoredMessage.MaxTraceParentLength } tp ? tp : null;
        message = new IncomingMessage(envelope.Channel, envelope.Seq, envelope.MsgId, envelope.From, envelope.Ts,
            envelope.Data.GetRawText(), traceParent, traceParent is null ? null : envelope.TraceState);
        return true;
    }

    private static string? Validate(MessageEnvelope envelope, string? key)
    {
        // Missing reference-typed fields deserialize as null despite the non-nullable declarations.
        if (envelope.Channel is null || !ChannelName.TryParse(envelope.Channel, out _))
        {
            return "invalid-envelope: channel missing or not a channel name";
        }
        if (key is not null && key != envelope.Channel)
        {
            return "invalid-envelope: key differs from channel";
        }
        if (envelope.Seq <= 0)
        {
            return "invalid-envelope: seq missing or not positive";
        }
        if (string.IsNullOrEmpty(envelope.MsgId) || envelope.MsgId.Length > StoredMessage.MaxMsgIdLength || envelope.MsgId.Contains('\0', StringComparison.Ordinal))
        {
            return "invalid-envelope: msgId missing, too long or with NUL";
        }
        if (envelope.From is null || envelope.From.Length > StoredMessage.MaxSenderLength || envelope.From.Contains('\0', StringComparison.Ordinal))
        {
            return "invalid-envelope: from missing, too long or with NUL";
        }
        if (envelope.Ts <= 0)
        {
            return "invalid-envelope: ts missing or not positive";
        }
        if (envelope.Data.ValueKind == JsonValueKind.Undefined)
        {
            return "invalid-envelope: data missing";
        }
        return null;
    }
}
