using System.Collections.Concurrent;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.Contracts;
using StackExchange.Redis;

namespace RealtimeAspire.ConnectionService.Fanout;

/// <summary>
/// Fans a channel's messages out to this replica's subscribers. The replica subscribes to a channel's Redis topic
/// once, on its first local subscriber, and releases it with the last; each message is parsed once and the same
/// frame bytes go to every subscriber. StackExchange.Redis's <see cref="ChannelMessageQueue"/> delivers one
/// channel's messages in order, which the per-channel sequence relies on.
/// </summary>
public sealed class ChannelFanout(IConnectionMultiplexer redis, ConnectionMetrics metrics)
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
            channel.Subscribers = [.. channel.Subscribers.Where(s => s != subscription)];
            if (channel.Subscribers.Length == 0 && !channel.Released)
            {
                channel.Released = true;
                _channels.TryRemove(new KeyValuePair<string, LocalChannel>(channel.Name, channel));
                release = channel.Active;
            }
        }
        if (release is not null)
        {
            try
            {
                await (await release).UnsubscribeAsync();
                metrics.RedisSubscription(-1);
            }
            catch (RedisException)
            {
                // The subscription dies with the Redis connection anyway.
            }
        }
    }

    private async Task<ChannelMessageQueue> SubscribeAsync(LocalChannel channel)
    {
        var subscriber = redis.GetSubscriber();
        var queue = await subscriber.SubscribeAsync(RedisChannel.Literal(RedisKeys.Topic(channel.Name)));
        // StackExchange.Redis can report a subscription before Redis has processed it (it is sent on the pub/sub
        // connection, publishes on another). Redis answers a PING on that same connection only after the SUBSCRIBE,
        // so once it returns, nothing published from now on can be missed.
        await subscriber.PingAsync();
        metrics.RedisSubscription(1);
        queue.OnMessage(message => Dispatch(channel, message.Message));
        return queue;
    }

    private static void Dispatch(LocalChannel channel, RedisValue payload)
    {
        if (!FanoutPayload.TryParse((byte[])payload!, out var message))
        {
            return;
        }
        foreach (var subscription in channel.Subscribers)
        {
            subscription.OnLive(message);
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
