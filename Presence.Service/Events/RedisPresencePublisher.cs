using RealtimeAspire.Contracts;
using StackExchange.Redis;

namespace RealtimeAspire.PresenceService.Events;

/// <summary>Publishes to <see cref="RedisKeys.Topic"/>, where every replica with subscribers of the channel listens.</summary>
public sealed class RedisPresencePublisher(IConnectionMultiplexer redis) : IPresencePublisher
{
    public Task PublishAsync(string channel, byte[] payload) =>
        redis.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisKeys.Topic(channel)), payload);
}
