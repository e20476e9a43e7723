using RealtimeAspire.Contracts.Wire;

namespace RealtimeAspire.ConnectionService.Publishing;

/// <summary>
/// The atomic step of a durable publish: next sequence number, append to the capped recent history, publish to
/// the channel's topic. Atomic, so the history and every subscriber see one order. Uses only commands that both
/// Redis and Garnet have. The frame is joined around the sequence number here, where the number is known, and the
/// fan-out header is <see cref="FanoutHeader"/>'s, built from its constants.
/// When the counter is missing and recovery is on, nothing is done and -1 returned: the number must not restart
/// at 1 for a channel whose counter Redis lost (see <see cref="History.SequenceRecoveryClient"/>).
/// </summary>
public static class PublishScript
{
    public const long RecoveryNeeded = -1;

    // KEYS: 1 sequence, 2 history, 3 topic.
    // ARGV: 1 frame prefix, 2 frame suffix, 3 history size, 4 history TTL seconds, 5 publish time (unix ms),
    //       6 '1' when a missing counter must be recovered first.
    public static readonly string Source = $"""
        if ARGV[6] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then
            return -1
        end
        local seq = redis.call('INCR', KEYS[1])
        local frame = ARGV[1] .. seq .. ARGV[2]
        redis.call('ZADD', KEYS[2], seq, frame)
        redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[3]) + 1))
        redis.call('EXPIRE', KEYS[2], tonumber(ARGV[4]))
        redis.call('PUBLISH', KEYS[3], {FanoutHeader.LuaPrefix("seq", "ARGV[5]", FanoutHeader.Message)} .. frame)
        return seq
        """;

    /// <summary>
    /// The same script for a Redis Cluster: SPUBLISH, so the message stays on the shard that owns the channel's slot
    /// (its three keys share that slot through the hash tag, so the script runs on that shard).
    /// </summary>
    public static readonly string ShardedSource = Source.Replace("redis.call('PUBLISH'", "redis.call('SPUBLISH'", StringComparison.Ordinal);
}
