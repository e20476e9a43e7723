using System.Text.Json;
using RealtimeAspire.Contracts;
using RealtimeAspire.MessageService.Persistence;
using StackExchange.Redis;

namespace RealtimeAspire.MessageService.Gaps;

/// <summary>
/// Reads a channel's recent history from Redis (<see cref="RedisKeys.History"/>: score = seq, member = the wire
/// <c>message</c> frame) as messages to persist.
/// </summary>
public sealed class RedisHistoryReader(IConnectionMultiplexer redis)
{
    public async Task<IReadOnlyList<IncomingMessage>> ReadAsync(string channel, SequenceRange range)
    {
        var members = await redis.GetDatabase().SortedSetRangeByScoreAsync(RedisKeys.History(channel), range.From, range.To);
        var messages = new List<IncomingMessage>(members.Length);
        foreach (var member in members)
        {
            if (!member.IsNullOrEmpty && TryParseFrame(channel, (byte[])member!, out var message))
            {
                messages.Add(message);
            }
        }
        return messages;
    }

    /// <summary>A frame <c>{"type":"message","channel","msgId","from","ts","data","seq"}</c> of the given channel, or false.</summary>
    public static bool TryParseFrame(string channel, ReadOnlySpan<byte> frame, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IncomingMessage? message)
    {
        message = null;
        try
        {
            var reader = new Utf8JsonReader(frame);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || !type.ValueEquals("message")
                || !root.TryGetProperty("channel", out var frameChannel) || frameChannel.ValueKind != JsonValueKind.String || !frameChannel.ValueEquals(channel)
                || !root.TryGetProperty("msgId", out var msgId) || msgId.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("from", out var from) || from.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("ts", out var ts) || !ts.TryGetInt64(out var tsValue)
                || !root.TryGetProperty("data", out var data)
                || !root.TryGetProperty("seq", out var seq) || !seq.TryGetInt64(out var seqValue) || seqValue <= 0)
            {
                return false;
            }
            message = new IncomingMessage(channel, seqValue, msgId.GetString()!, from.GetString()!, tsValue, data.GetRawText());
            return message.MsgId.Length is > 0 and <= Data.StoredMessage.MaxMsgIdLength
                && message.From.Length <= Data.StoredMessage.MaxSenderLength;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
