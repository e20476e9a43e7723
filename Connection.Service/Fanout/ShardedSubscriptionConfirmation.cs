using StackExchange.Redis;

namespace RealtimeAspire.ConnectionService.Fanout;

/// <summary>
/// Waits until a sharded subscription is live on the shard. The PING that confirms a classic subscription goes to
/// an arbitrary node on a cluster, not over the connection that carries the SSUBSCRIBE, so it proves nothing here.
/// Instead a probe is published on the topic itself until it comes back over this subscription: from then on the
/// shard delivers every message to it. Other replicas' subscribers see the probe and drop it, as every payload that
/// is not a fan-out payload is dropped (<see cref="FanoutPayload.TryParse"/> wants a header line the probe lacks).
/// </summary>
public static class ShardedSubscriptionConfirmation
{
    /// <summary>How long a probe may take to come back before another is sent (it is lost if it beat the SSUBSCRIBE).</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the subscription may take to become live before the subscribe fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private const string ProbePrefix = "probe:";

    /// <summary>Attaches <paramref name="dispatch"/> to <paramref name="queue"/> and returns once a probe came back through it.</summary>
    public static async Task WaitAsync(ISubscriber subscriber, RedisChannel topic, ChannelMessageQueue queue, Action<RedisValue> dispatch)
    {
        var probe = (RedisValue)(ProbePrefix + Guid.NewGuid().ToString("N"));
        var confirmed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.OnMessage(message =>
        {
            if (message.Message == probe)
            {
                confirmed.TrySetResult();
            }
            else
            {
                // Messages that arrive before the confirmation are this subscription's too, in order.
                dispatch(message.Message);
            }
        });
        var deadline = DateTime.UtcNow + Timeout;
        while (!confirmed.Task.IsCompleted)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The sharded subscription to '{topic}' was not live after {Timeout.TotalSeconds:0} s.");
            }
            await subscriber.PublishAsync(topic, probe);
            try
            {
                await confirmed.Task.WaitAsync(ProbeInterval);
            }
            catch (TimeoutException)
            {
                // The probe beat the SSUBSCRIBE to the shard: send another.
            }
        }
    }
}
