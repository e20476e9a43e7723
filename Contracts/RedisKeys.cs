namespace RealtimeAspire.Contracts;

/// <summary>
/// Every Redis key and pub/sub channel of the product, in one place. The channel sits in braces (a hash tag) so
/// that one channel's keys share a cluster slot and one script may touch them all.
/// </summary>
public static class RedisKeys
{
    /// <summary>String: the channel's last assigned sequence number (INCR). Never expires.</summary>
    public static string Sequence(string channel) => $"rt:{{{channel}}}:seq";

    /// <summary>
    /// Sorted set: the channel's recent history, score = sequence, member = the wire <c>message</c> frame (JSON),
    /// capped to the namespace's history size and expiring after its history TTL.
    /// </summary>
    public static string History(string channel) => $"rt:{{{channel}}}:history";

    /// <summary>
    /// String: when the data of <paramref name="channel"/>'s cluster slot began (unix ms), set by the first sequence
    /// recovery in that slot after a loss. A missing channel counter is either a new channel or one Redis lost;
    /// produces in flight at the loss finished by this time plus the producer's delivery timeout. One per slot, not
    /// one per server: on a cluster a shard loses its slots alone, and the recovery script reads the epoch and sets
    /// the counter atomically, which only works for keys of one slot (<see cref="RedisSlots.Tag"/>).
    /// </summary>
    public static string Epoch(string channel) => $"rt:{{{RedisSlots.Tag(RedisSlots.Of(Sequence(channel)))}}}:epoch";

    /// <summary>String: present while <paramref name="user"/>'s last typing hint in the channel is recent (SET NX PX).</summary>
    public static string Typing(string channel, string user) => $"rt:{{{channel}}}:typing:{user}";

    /// <summary>Pub/sub channel of a channel's frames; payload = <see cref="Wire.FanoutHeader"/>: <c>{seq} {publishedAtMs} {kind}\n{frame JSON}</c>.</summary>
    public static string Topic(string channel) => $"rt:{{{channel}}}:topic";
}
