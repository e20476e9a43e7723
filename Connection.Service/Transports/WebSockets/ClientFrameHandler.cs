using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.History;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.Publishing;
using RealtimeAspire.ConnectionService.Subscriptions;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary>
/// Carries out one WebSocket connection's client frames: subscribe, unsubscribe, publish, typing, ping.
/// Publishes are pipelined (acks may follow in any order, each correlated by its <c>id</c>), up to a bound.
/// </summary>
public sealed class ClientFrameHandler(
    RealtimeConnection connection,
    ConnectionLimitsOptions limits,
    ChannelGate gate,
    ChannelSubscriber subscriber,
    MessagePublisher publisher,
    ConnectionMetrics metrics,
    ILogger logger,
    TimeProvider time)
{
    /// <summary>Publishes of one connection waiting for their Kafka acknowledgement at once.</summary>
    public const int MaxPublishesInFlight = 64;

    private readonly SemaphoreSlim _inFlight = new(MaxPublishesInFlight, MaxPublishesInFlight);
    // Created on the first publish: most connections only subscribe, and an empty table costs every idle socket 80 B.
    private Dictionary<string, TokenBucket>? _publishBuckets;

    public async Task HandleAsync(ClientFrame frame)
    {
        switch (frame.Type)
        {
            case "subscribe":
                await SubscribeAsync(frame);
                break;
            case "unsubscribe":
                await UnsubscribeAsync(frame);
                break;
            case "publish":
                await PublishAsync(frame);
                break;
            case "typing":
                await TypingAsync(frame);
                break;
            case "ping":
                connection.TryEnqueue(ServerFrames.Pong(frame.Id));
                break;
            default:
                Refuse(frame.Id, ErrorCodes.UnknownType, $"Unknown frame type '{frame.Type}'.");
                break;
        }
    }

    public void Refuse(long? id, string code, string message)
    {
        metrics.FrameRefused(code);
        logger.FrameRefused(connection.Id, code, message);
        connection.TryEnqueue(ServerFrames.Error(id, code, message));
    }

    /// <summary>Waits (bounded by the close) for publishes still waiting for Kafka, so their acks are not lost.</summary>
    public async Task DrainPublishesAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < MaxPublishesInFlight; i++)
        {
            await _inFlight.WaitAsync(cancellationToken);
        }
    }

    private async Task SubscribeAsync(ClientFrame frame)
    {
        if (!gate.TryAdmit(connection.User, frame.Channel, ChannelAction.Subscribe, 0, out var channel, out var settings, out var refusal))
        {
            Refuse(frame.Id, refusal.Code, refusal.Message);
            return;
        }
        if (connection.Subscriptions.Count >= limits.MaxSubscriptions && !connection.Subscriptions.ContainsKey(channel.Value))
        {
            Refuse(frame.Id, ErrorCodes.TooManySubscriptions, $"A connection may hold {limits.MaxSubscriptions} subscriptions.");
            return;
        }
        try
        {
            await subscriber.SubscribeAsync(connection, channel, settings, frame.Since,
                position => connection.TryEnqueue(ServerFrames.ChannelAck(frame.Id, channel.Value, settings.Durable ? position : null)),
                connection.Closing);
        }
        catch (HistoryUnavailableException ex)
        {
            logger.HistoryUnavailable(ex.Channel, ex.Since, ex.InnerException);
            Refuse(frame.Id, ErrorCodes.HistoryUnavailable, ex.Message);
        }
        catch (PositionAheadException ex)
        {
            // Counted and logged by the subscriber; the client resubscribes from the seq it carries.
            connection.TryEnqueue(ServerFrames.PositionAhead(frame.Id, ex.Channel, ex.Requested, ex.Current));
        }
    }

    private async Task UnsubscribeAsync(ClientFrame frame)
    {
        if (frame.Channel is null || !await subscriber.UnsubscribeAsync(connection, frame.Channel))
        {
            Refuse(frame.Id, ErrorCodes.NotSubscribed, $"Not subscribed to '{frame.Channel}'.");
            return;
        }
        connection.TryEnqueue(ServerFrames.ChannelAck(frame.Id, frame.Channel, null));
    }

    private async Task PublishAsync(ClientFrame frame)
    {
        if (frame.Data.IsEmpty)
        {
            Refuse(frame.Id, ErrorCodes.MissingField, "'data' is missing.");
            return;
        }
        if (!gate.TryAdmit(connection.User, frame.Channel, ChannelAction.Publish, frame.Data.Length, out var channel, out var settings, out var refusal))
        {
            Refuse(frame.Id, refusal.Code, refusal.Message);
            return;
        }
        _publishBuckets ??= new(StringComparer.Ordinal);
        if (!_publishBuckets.TryGetValue(channel.Namespace, out var bucket))
        {
            _publishBuckets[channel.Namespace] = bucket = new TokenBucket(settings.PublishRatePerSecond, settings.PublishBurst, time);
        }
        if (!bucket.TryTake())
        {
            Refuse(frame.Id, ErrorCodes.RateLimited, $"Over {settings.PublishRatePerSecond} publishes per second in '{channel.Namespace}'.");
            return;
        }
        metrics.MessageIn(connection.Transport);
        await _inFlight.WaitAsync(connection.Closing);
        _ = PublishAndAckAsync(frame, channel, settings);
    }

    private async Task PublishAndAckAsync(ClientFrame frame, Contracts.ChannelName channel, NamespaceOptions settings)
    {
        try
        {
            // Not cancelled with the connection: once sequenced, the message must reach Kafka.
            var result = await publisher.PublishAsync(channel, settings, connection.User.Id, frame.Data, CancellationToken.None);
            connection.TryEnqueue(ServerFrames.PublishAck(frame.Id, result.Seq, result.MsgId));
        }
        catch (Exception ex) when (ex is PublishFailedException or StackExchange.Redis.RedisException or TimeoutException)
        {
            Refuse(frame.Id, ErrorCodes.PublishFailed, "The message could not be made durable; it was not acknowledged. Retry.");
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task TypingAsync(ClientFrame frame)
    {
        if (!gate.TryAdmit(connection.User, frame.Channel, ChannelAction.Typing, 0, out var channel, out var settings, out var refusal))
        {
            Refuse(frame.Id, refusal.Code, refusal.Message);
            return;
        }
        // A hint: one dropped (too soon after the user's last) is not an error, so there is no answer either way.
        await publisher.PublishTypingAsync(channel, settings, connection.User.Id);
    }
}
