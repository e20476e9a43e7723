using System.Collections.Concurrent;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.Integrations.Redis;
using StackExchange.Redis;

namespace RealtimeAspire.ConnectionService.Fanout;

/// <summary>
/// Fans a channel's messages out to this replica's subscribers. The replica subscribes to a channel's Redis topic
/// once, on its first local subscriber, and releases it with the last; each message is parsed once and the same
/// frame bytes go to every subscriber. StackExchange.Redis's <see cref="ChannelMessageQueue"/> delivers one
/// channel's messages in order, which the per-channel sequence relies on. On a Redis Cluster the topic is a sharded
/// channel (<see cref="RedisPubSub"/>), subscribed on the shard that owns the channel's slot.
/// </summary>
/// <remarks>
/// <c>realtime.fanout.latency</c> is recorded here, once per message per replica, when the message is in the queue of
/// every local subscriber: its cost does not grow with subscribers × messages (recorded per frame by the send loops,
/// one histogram point taken by every thread was 4 % of a replica's CPU at capacity, docs/benchmarks.md).
/// </remarks>
public sealed class ChannelFanout(IConnectionMultiplexer redis, RedisPubSub pubSub, ConnectionMetrics metrics, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, LocalChannel> _channels = new(StringComparer.Ordinal);

    /// <summary>Adds a subscriber; completes once the replica's Redis subscription is active, so nothing published after that is missed.</summary>
    public Task AddAsync(IChannelSubscription subscription)
    {
        while (true)
        {
            var channel = _channels.GetOrAdd(subscription.Channel, name => new LocalChannel(name));
            lock (channel.Gate)
            {
                if (channel.Released)
                {
                    // Lost a race with the last subscriber leaving: take a fresh entry.
                    continue;
                }
                channel.Subscribers = [.. channel.Subscribers, subscription];
                if (channel.Active is null or { IsFaulted: true })
                {
                    channel.Active = SubscribeAsync(channel);
                }
                return channel.Active;
            }
        }
    }

    public async Task RemoveAsync(IChannelSubscription subscription)
    {
        if (!_channels.TryGetValue(subscription.Channel, out var channel))
        {
            return;
        }
        Task<ChannelMessageQueue>? release = null;
        lock (channel.Gate)
        {
            channel.Subscribers = Without(channel.Subscribers, subscription);
            if (channel.Subscribers.Length == 0 && !channel.Released)
            {
                channel.Released = true;
                _channels.TryRemove(new KeyValuePair<string, LocalChannel>(channel.Name, channel));
                release = channel.Active;
            }
        }
        if (release is null)
        {
            return;
        }
        ChannelMessageQueue queue;
        try
        {
            queue = await release;
        }
        catch (RedisException)
        {
            // The subscription was never taken (and never counted).
            return;
        }
        try
        {
            await queue.UnsubscribeAsync();
        }
        catch (RedisException)
        {
            // The subscription dies with the Redis connection anyway.
        }
        finally
        {
            // Released either way: the gauge must come back down even when Redis did not answer the unsubscribe.
            metrics.RedisSubscriptionReleased();
        }
    }

    /// <summary>
    /// The subscribers but one, as a new array (<see cref="Dispatch"/> reads the old one without a lock): two block
    /// copies. Thousands of streams of one channel leave together; a filtering pass per leave made that quadratic in
    /// delegate calls as well as in copies.
    /// </summary>
    private static IChannelSubscription[] Without(IChannelSubscription[] subscribers, IChannelSubscription leaving)
    {
        var index = Array.IndexOf(subscribers, leaving);
        if (index < 0)
        {
            return subscribers;
        }
        var rest = new IChannelSubscription[subscribers.Length - 1];
        Array.Copy(subscribers, 0, rest, 0, index);
        Array.Copy(subscribers, index + 1, rest, index, rest.Length - index);
        return rest;
    }

    private async Task<ChannelMessageQueue> SubscribeAsync(LocalChannel channel)
    {
        var subscriber = redis.GetSubscriber();
        var topic = await pubSub.TopicAsync(channel.Name);
        var queue = await subscriber.SubscribeAsync(topic);
        if (topic.IsSharded)
        {
            await ShardedSubscriptionConfirmation.WaitAsync(subscriber, topic, queue, message => Dispatch(channel, message, metrics, time));
        }
        else
        {
            // StackExchange.Redis can report a subscription before Redis has processed it (it is sent on the pub/sub
            // connection, publishes on another). Redis answers a PING on that same connection only after the
            // SUBSCRIBE, so once it returns, nothing published from now on can be missed.
            await subscriber.PingAsync();
            queue.OnMessage(message => Dispatch(channel, message.Message, metrics, time));
        }
        metrics.RedisSubscriptionTaken();
        return queue;
    }

    private static void Dispatch(LocalChannel channel, RedisValue payload, ConnectionMetrics metrics, TimeProvider time)
    {
        if (!FanoutPayload.TryParse((byte[])payload!, out var message))
        {
            return;
        }
        var subscribers = channel.Subscribers;
        foreach (var subscription in subscribers)
        {
            subscription.OnLive(message);
        }
        if (message.PublishedAtMs > 0 && subscribers.Length > 0)
        {
            metrics.FanoutLatency(time.GetUtcNow().ToUnixTimeMilliseconds() - message.PublishedAtMs);
        }
    }

    private sealed class LocalChannel(string name)
    {
        public string Name { get; } = name;
        public Lock Gate { get; } = new();
        public volatile IChannelSubscription[] Subscribers = [];
        public Task<ChannelMessageQueue>? Active { get; set; }
        public bool Released { get; set; }
    }
}
