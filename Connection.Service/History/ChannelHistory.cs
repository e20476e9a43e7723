using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.Contracts;
using StackExchange.Redis;

namespace RealtimeAspire.ConnectionService.History;

/// <summary>
/// Reads what a resuming subscriber missed: from the channel's recent history in Redis while it holds the
/// messages, and the older part from Message.Service's history API when Redis no longer does.
/// </summary>
public sealed class ChannelHistory(IConnectionMultiplexer redis, PersistedHistoryClient persisted)
{
    /// <summary>Current position of a channel: its last assigned sequence number (0 for a new channel).</summary>
    public async Task<long> CurrentSequenceAsync(string channel) => await CurrentSequenceOrNullAsync(channel) ?? 0;

    /// <summary>The channel's last assigned sequence number, or null when Redis has no counter for it (new, or lost).</summary>
    public async Task<long?> CurrentSequenceOrNullAsync(string channel)
    {
        var value = await redis.GetDatabase().StringGetAsync(RedisKeys.Sequence(channel));
        return value.HasValue ? (long)value : null;
    }

    /// <summary>Messages after <paramref name="since"/>, ascending, up to the channel's current position as of the call.</summary>
    public async Task<IReadOnlyList<LiveMessage>> ReadAfterAsync(string channel, long since, string subscriber, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var recentTask = database.SortedSetRangeByScoreWithScoresAsync(RedisKeys.History(channel), since, double.PositiveInfinity, Exclude.Start);
        var currentTask = database.StringGetAsync(RedisKeys.Sequence(channel));
        var recent = await recentTask;
        var current = await currentTask;
        var messages = new List<LiveMessage>(recent.Length);
        messages.AddRange(recent.Select(entry => new LiveMessage((long)entry.Score, 0, FrameKind.Message, (byte[])entry.Element!)));

        var firstInRedis = messages.Count > 0 ? messages[0].Seq : (current.HasValue ? (long)current + 1 : since + 1);
        if (firstInRedis > since + 1)
        {
            // Redis was trimmed or expired below what the client has: the older part comes from PostgreSQL.
            var older = await persisted.ReadRangeAsync(channel, since, firstInRedis - 1, subscriber, cancellationToken);
            messages.InsertRange(0, older);
        }
        return messages;
    }
}
