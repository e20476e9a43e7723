using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Wire;
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

    /// <summary>Each channel's last handed-out sequence number (<see cref="RedisKeys.Sequence"/>), null where Redis has no counter.</summary>
    public async Task<long?[]> ReadCountersAsync(IReadOnlyList<string> channels)
    {
        var database = redis.GetDatabase();
        // One round trip for the lot: the commands are pipelined.
        var values = await Task.WhenAll(channels.Select(c => database.StringGetAsync(RedisKeys.Sequence(c))));
        return [.. values.Select(v => v.TryParse(out long counter) ? counter : (long?)null)];
    }

    /// <summary>A sequenced <c>message</c> frame (<see cref="MessageFrame"/>) of the given channel that fits the database, or false.</summary>
    public static bool TryParseFrame(string channel, ReadOnlySpan<byte> frame, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IncomingMessage? message)
    {
        message = null;
        if (!MessageFrame.TryParse(frame, out var parsed) || parsed.Channel != channel || parsed.Seq <= 0)
        {
            return false;
        }
        message = new IncomingMessage(channel, parsed.Seq, parsed.MsgId, parsed.From, parsed.Ts, parsed.Data);
        return message.MsgId.Length is > 0 and <= Data.StoredMessage.MaxMsgIdLength
            && message.From.Length <= Data.StoredMessage.MaxSenderLength;
    }
}
