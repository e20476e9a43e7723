using Microsoft.Extensions.Logging;
using RealtimeAspire.Contracts;
using StackExchange.Redis;

namespace RealtimeAspire.Integrations.Redis;

/// <summary>
/// Which pub/sub a channel's topic uses, decided by what the server reports. On a Redis Cluster (7 or later) it is
/// sharded pub/sub (<c>SSUBSCRIBE</c>/<c>SPUBLISH</c>): a message goes to the shard that owns the channel's slot
/// and no further, where classic <c>PUBLISH</c> is broadcast over the cluster bus to every node. On a standalone
/// Redis, Garnet, or a cluster older than 7 it is classic pub/sub. Sharded and classic subscriptions do not see
/// each other's messages, so every publisher and subscriber of the product takes its channel from here.
/// </summary>
public sealed class RedisPubSub(IConnectionMultiplexer redis, ILogger<RedisPubSub> logger)
{
    private const int Unknown = 0, Classic = 1, Sharded = 2;
    private int _mode;

    /// <summary>True when topics are sharded channels. Decided once the multiplexer has a connected server, then fixed.</summary>
    public bool IsSharded
    {
        get
        {
            var mode = Volatile.Read(ref _mode);
            return mode == Unknown ? Decide() : mode == Sharded;
        }
    }

    /// <summary>The pub/sub channel of <paramref name="channel"/>'s messages (<see cref="RedisKeys.Topic"/>).</summary>
    public RedisChannel Topic(string channel)
    {
        var name = RedisKeys.Topic(channel);
        return IsSharded ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);
    }

    /// <summary>
    /// As <see cref="Topic"/>, after making sure the mode is decided: a subscription StackExchange.Redis queues while
    /// Redis is unreachable would otherwise be classic for good while publishes later turn sharded.
    /// </summary>
    public async ValueTask<RedisChannel> TopicAsync(string channel)
    {
        if (Volatile.Read(ref _mode) == Unknown)
        {
            // Completes once a server is connected (or fails like any Redis call while it is down).
            await redis.GetDatabase().PingAsync();
            Decide();
        }
        return Topic(channel);
    }

    /// <summary>The command a script publishes a topic's messages with: <c>SPUBLISH</c> or <c>PUBLISH</c>.</summary>
    public string PublishCommand => IsSharded ? "SPUBLISH" : "PUBLISH";

    private bool Decide()
    {
        var connected = redis.GetServers().Where(s => s.IsConnected).ToArray();
        if (connected.Length == 0)
        {
            // Nothing to ask yet (Redis down at start): classic for now, decided for good on the first connected call.
            return false;
        }
        var sharded = connected.All(s => s.ServerType == ServerType.Cluster && s.Features.ShardedPubSub);
        if (Interlocked.CompareExchange(ref _mode, sharded ? Sharded : Classic, Unknown) == Unknown)
        {
            logger.PubSubModeDecided(sharded ? "sharded" : "classic", connected[0].ServerType, connected[0].Version, connected.Length);
        }
        return Volatile.Read(ref _mode) == Sharded;
    }
}
