using Microsoft.Extensions.Options;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Fanout;
using RealtimeAspire.ConnectionService.History;
using RealtimeAspire.ConnectionService.Presence;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.ConnectionService.Subscriptions;

/// <summary>
/// Subscribes connections to channels with resume: hold live messages back, make sure the replica's Redis
/// subscription is active, read what was missed from history, deliver it, then release what was held — so a
/// message published during the catch-up is neither lost nor sent twice.
/// </summary>
public sealed class ChannelSubscriber(
    ChannelFanout fanout,
    ChannelHistory history,
    IOptions<ConnectionLimitsOptions> limits,
    ConnectionMetrics metrics,
    IPresenceTracker presence,
    ILogger<ChannelSubscriber> logger,
    SequenceRecoveryClient? recovery = null)
{
    private const int MaxCatchUpRounds = 16;

    /// <summary>
    /// Subscribes from <paramref name="since"/> (or from now). <paramref name="onPosition"/> receives the position
    /// the subscription continues from before any missed message is queued, so an ack can precede them.
    /// A <paramref name="since"/> beyond the channel's current position throws <see cref="PositionAheadException"/>
    /// before anything is subscribed: taken as is, every later message would be dropped as a duplicate.
    /// </summary>
    public async Task<long> SubscribeAsync(RealtimeConnection connection, ChannelName channel, NamespaceOptions settings, long? since,
        Action<long> onPosition, CancellationToken cancellationToken)
    {
        if (settings.Durable && since > 0 && !connection.Subscriptions.ContainsKey(channel.Value))
        {
            var current = await PositionForResumeAsync(channel.Value, cancellationToken);
            if (since > current)
            {
                metrics.FrameRefused(ErrorCodes.PositionAhead);
                logger.PositionAhead(connection.Id, channel.Value, since.Value, current);
                throw new PositionAheadException(channel.Value, since.Value, current);
            }
        }
        var subscription = new Subscription(connection, channel.Value, settings.Durable, limits.Value.MaxQueuedFrames, StartGapCatchUp);
        if (!connection.Subscriptions.TryAdd(channel.Value, subscription))
        {
            var existing = connection.Subscriptions[channel.Value];
            onPosition(existing.LastSeq);
            return existing.LastSeq;
        }
        metrics.Subscribed();
        presence.Joined(connection, channel, settings);
        try
        {
            if (!settings.Durable)
            {
                await fanout.AddAsync(subscription);
                onPosition(0);
                return 0;
            }
            subscription.BeginCatchUp();
            await fanout.AddAsync(subscription);
            var start = since ?? await history.CurrentSequenceAsync(channel.Value);
            // Read before acknowledging: a subscription whose history is unavailable gets an error, not an ack.
            var missed = await history.ReadAfterAsync(channel.Value, start, connection.User.Id, cancellationToken);
            onPosition(start);
            await CatchUpAsync(subscription, start, missed, cancellationToken);
            return start;
        }
        catch
        {
            await UnsubscribeAsync(connection, channel.Value);
            throw;
        }
    }

    /// <summary>
    /// The channel's position to judge a resume against. A counter Redis no longer has (lost in a restart or a
    /// flush) is first recovered from Message.Service, as a publish would: judged against a missing counter, a
    /// client's valid position would look ahead of 0.
    /// </summary>
    private async Task<long> PositionForResumeAsync(string channel, CancellationToken cancellationToken)
    {
        if (await history.CurrentSequenceOrNullAsync(channel) is { } current)
        {
            return current;
        }
        if (recovery is null)
        {
            return 0;
        }
        try
        {
            await recovery.RecoverAsync(channel, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new HistoryUnavailableException(channel, 0, ex);
        }
        return await history.CurrentSequenceAsync(channel);
    }

    /// <summary>A channel's current position: where a subscription without <c>since</c> starts.</summary>
    public Task<long> CurrentPositionAsync(string channel) => history.CurrentSequenceAsync(channel);

    public async Task<bool> UnsubscribeAsync(RealtimeConnection connection, string channel)
    {
        if (!connection.Subscriptions.TryRemove(channel, out var subscription))
        {
            return false;
        }
        metrics.Unsubscribed();
        presence.Left(connection, channel);
        await fanout.RemoveAsync(subscription);
        return true;
    }

    public async Task UnsubscribeAllAsync(RealtimeConnection connection)
    {
        foreach (var channel in connection.Subscriptions.Keys.ToArray())
        {
            await UnsubscribeAsync(connection, channel);
        }
    }

    private async Task CatchUpAsync(Subscription subscription, long after, IReadOnlyList<LiveMessage>? firstRead, CancellationToken cancellationToken)
    {
        var position = after;
        for (var round = 0; round < MaxCatchUpRounds; round++)
        {
            var missed = round == 0 && firstRead is not null
                ? firstRead
                : await history.ReadAfterAsync(subscription.Channel, position, subscription.Connection.User.Id, cancellationToken);
            if (await subscription.DeliverHistoryAsync(position, missed, cancellationToken) && subscription.ReleaseHeldBack())
            {
                return;
            }
            position = subscription.LastSeq;
        }
        throw new HistoryUnavailableException(subscription.Channel, position);
    }

    /// <summary>A live message skipped a position (a pub/sub message lost in a Redis reconnect): fill the gap from history.</summary>
    private void StartGapCatchUp(Subscription subscription)
    {
        logger.Gap(subscription.Connection.Id, subscription.Channel, subscription.LastSeq);
        _ = Task.Run(async () =>
        {
            try
            {
                await CatchUpAsync(subscription, subscription.LastSeq, null, subscription.Connection.Closing);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                logger.HistoryUnavailable(subscription.Channel, subscription.LastSeq, ex);
                subscription.Connection.TryEnqueue(ServerFrames.Error(null, ErrorCodes.HistoryUnavailable,
                    $"Messages of '{subscription.Channel}' after {subscription.LastSeq} could not be recovered; resubscribe."));
                await UnsubscribeAsync(subscription.Connection, subscription.Channel);
            }
        });
    }
}
