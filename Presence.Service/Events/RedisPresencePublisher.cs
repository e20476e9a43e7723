using RealtimeAspire.Contracts;
using RealtimeAspire.Integrations.Redis;
using StackExchange.Redis;

namespace RealtimeAspire.PresenceService.Events;

/// <summary>
/// Publishes to <see cref="RedisKeys.Topic"/>, where every replica with subscribers of the channel listens: a
/// sharded channel on a Redis Cluster, as the replicas subscribe (<see cref="RedisPubSub"/>).
/// </summary>
public sealed class RedisPresencePublisher(IConnectionMultiplexer redis, RedisPubSub pubSub) : IPresencePublisher
{
    public Task PublishAsync(string channel, byte[] payload) =>
        redis.GetSubscriber().PublishAsync(pubSub.Topic(channel), payload);
}
