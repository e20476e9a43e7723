using System.Runtime.CompilerServices;
using RealtimeAspire.Client.Delivery;
using RealtimeAspire.Client.Diagnostics;
using RealtimeAspire.Client.Transports;

namespace RealtimeAspire.Client;

/// <summary>
/// Subscriptions and their resume: each channel is a <see cref="ChannelStream"/> that every new connection subscribes
/// again from its last sequence; stopping the enumeration unsubscribes it from whichever connection holds it.
/// </summary>
public sealed partial class RealtimeClient
{
    /// <summary>
    /// The channel's messages after <paramref name="since"/> (without it, from now), then live, until the enumeration
    /// is stopped (which unsubscribes). Throws <see cref="RealtimeException"/> when the server refuses the subscription.
    /// </summary>
    public IAsyncEnumerable<RealtimeMessage> SubscribeAsync(string channel, long? since = null, CancellationToken cancellationToken = default) =>
        SubscribeAsync(channel, new RealtimeSubscriptionOptions { Since = since }, cancellationToken);

    /// <summary>
    /// As <see cref="SubscribeAsync(string, long?, CancellationToken)"/>, with the channel's presence and typing events
    /// and its errors delivered to the handlers of <paramref name="subscription"/>.
    /// </summary>
    public async IAsyncEnumerable<RealtimeMessage> SubscribeAsync(string channel, RealtimeSubscriptionOptions subscription, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(subscription);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        var stream = new ChannelStream(channel, subscription, (after, limit, ct) => GetHistoryAsync(channel, after: after, limit: limit, cancellationToken: ct), _options, _logger);
        if (!_streams.TryAdd(channel, stream))
        {
            throw new RealtimeException("already_subscribed", $"Already subscribed to {channel}.");
        }
        try
        {
            if (Volatile.Read(ref _connection) is { } connection)
            {
                await SubscribeOnAsync(connection, stream, cancellationToken);
            }
            await foreach (var message in stream.Reader.ReadAllAsync(cancellationToken))
            {
                yield return message;
            }
        }
        finally
        {
            _streams.TryRemove(new KeyValuePair<string, ChannelStream>(channel, stream));
            await stream.StopAsync();
            if (Volatile.Read(ref _connection) is { } connection && stream.IsSubscribedOn(connection))
            {
                using var timeout = new CancellationTokenSource(s_unsubscribeTimeout);
                try
                {
                    await connection.UnsubscribeAsync(channel, timeout.Token);
                }
                catch (Exception ex) when (ex is RealtimeException or OperationCanceledException)
                {
                    // Gone with its connection, or never accepted.
                }
            }
        }
    }

    /// <summary>Subscribes every channel not yet on this connection, from its last sequence.</summary>
    private async Task ResubscribeAsync(IRealtimeConnection connection, CancellationToken cancellationToken)
    {
        var pending = _streams.Values.Where(s => !s.IsSubscribedOn(connection)).ToList();
        if (connection.Transport == RealtimeTransport.WebSocket)
        {
            await Task.WhenAll(pending.Select(s => SubscribeOnAsync(connection, s, cancellationToken)));
            return;
        }
        foreach (var stream in pending)
        {
            await SubscribeOnAsync(connection, stream, cancellationToken);
        }
    }

    private async Task SubscribeOnAsync(IRealtimeConnection connection, ChannelStream stream, CancellationToken cancellationToken)
    {
        if (!stream.TryClaim(connection))
        {
            return;
        }
        try
        {
            var position = await connection.SubscribeAsync(stream.Channel, stream.LastSeq, cancellationToken);
            if (TestHooks?.SubscribeAnswered is { } answered)
            {
                await answered(connection, stream.Channel);
            }
            if (position is not null)
            {
                stream.StartAt(position.Value);
            }
            stream.MarkReady();
        }
        catch (RealtimeException ex) when (ex.Code != ClientErrorCodes.ConnectionLost)
        {
            _logger.SubscriptionRefused(stream.Channel, ex.Code);
            _streams.TryRemove(new KeyValuePair<string, ChannelStream>(stream.Channel, stream));
            stream.Fail(ex);
        }
        catch (RealtimeException)
        {
            // connection_lost: the next connection subscribes again.
        }
    }

    private async Task ResubscribeLateAsync(IRealtimeConnection connection)
    {
        try
        {
            await ResubscribeAsync(connection, _disposed.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RealtimeException or ConnectFailure or HttpRequestException)
        {
            // The connection went away meanwhile: the next one subscribes everything again.
        }
    }
}
