using RealtimeAspire.Client;

namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>
/// One ephemeral message end to end through the edge on connections opened for it: a new subscriber of a new
/// <c>live:</c> channel and a new publisher (each a new connection the edge must route to a replica), one publish,
/// its delivery. An ephemeral namespace is fanned out by Redis alone, so this works whatever the durable path does.
/// </summary>
public sealed class LiveDelivery
{
    /// <summary>Each step (subscribed, acknowledged, delivered) within this.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);

    private readonly ReliabilityTopology _topology;
    private readonly string _subscriberToken;
    private readonly string _publisherToken;
    private readonly string _tag;

    private LiveDelivery(ReliabilityTopology topology, string subscriberToken, string publisherToken, string tag)
    {
        _topology = topology;
        _subscriberToken = subscriberToken;
        _publisherToken = publisherToken;
        _tag = tag;
    }

    /// <summary>Takes the two tokens now: the dev-token route leads to the replicas too, and what is tried later is connections.</summary>
    public static async Task<LiveDelivery> PrepareAsync(ReliabilityTopology topology, string tag)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        return new LiveDelivery(topology, await topology.TokenAsync($"live-sub-{run}"), await topology.TokenAsync($"live-pub-{run}"), $"{tag}-{run}");
    }

    /// <summary>Null when the message arrived; otherwise the step that did not happen, with the clients' states.</summary>
    public async Task<string?> TryAsync()
    {
        var channel = $"live:{_tag}-{Guid.NewGuid():N}"[..(_tag.Length + 14)];
        var probe = Guid.NewGuid().ToString("N");
        await using var subscriber = new RealtimeClient(ClientOptions.For(_topology.EdgeUrl, _subscriberToken, [RealtimeTransport.WebSocket]));
        await using var publisher = new RealtimeClient(ClientOptions.For(_topology.EdgeUrl, _publisherToken, [RealtimeTransport.WebSocket]));
        using var stop = new CancellationTokenSource();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivered = FirstMessageAsync(subscriber, channel, ready, stop.Token);
        try
        {
            await ready.Task.WaitAsync(StepTimeout);
            await publisher.PublishAsync(channel, new { probe }).WaitAsync(StepTimeout);
            var message = await delivered.WaitAsync(StepTimeout);
            return message?.Data.GetProperty("probe").GetString() == probe ? null : $"{channel}: another message arrived: {message?.Data}";
        }
        catch (Exception ex) when (ex is TimeoutException or RealtimeException)
        {
            return $"{channel}: {ex.GetType().Name} {ex.Message}; subscriber {subscriber.State}, publisher {publisher.State}";
        }
        finally
        {
            await stop.CancelAsync();
            await delivered.WaitAsync(StepTimeout);
        }
    }

    private static async Task<RealtimeMessage?> FirstMessageAsync(RealtimeClient client, string channel, TaskCompletionSource ready, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in client.SubscribeAsync(channel, new RealtimeSubscriptionOptions { OnReady = () => ready.TrySetResult() }, cancellationToken))
            {
                return message;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (RealtimeException ex)
        {
            // Refused: TryAsync reports the step that then did not happen.
            ready.TrySetException(ex);
        }
        return null;
    }
}
