using System.Runtime.CompilerServices;
using RealtimeAspire.Client.Delivery;
using RealtimeAspire.Client.Diagnostics;
using RealtimeAspire.Client.Transports;

namespace RealtimeAspire.Client;

/// <summary>
/// Subscriptions and their resume: each channel is a <see cref="ChannelStream"/> that every new connection subscribes
/// again from its last sequence; stopping the enumeration unsubscribes it from every connection that holds it (during a
/// background upgrade, the candidate as well as the current one), and a subscribe that completes after the stop is
/// undone by the code that completes it. Nothing here waits for an application's handler, and the stop waits for
/// nothing but the connections' own requests: a handler may stop a subscription (even wait for its end) anywhere.
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
            // Every live connection the server holds it on: during a background upgrade the candidate as well as the
            // current one. A subscribe still on its way is undone by the code that completes it (GiveBackIfStoppedAsync).
            var held = await stream.StopAsync();
            await Task.WhenAll(held.Select(connection => UnsubscribeQuietlyAsync(connection, channel)));
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
        long? position;
        try
        {
            position = await connection.SubscribeAsync(stream.Channel, stream.LastSeq, cancellationToken);
        }
        catch (RealtimeException ex) when (ex.Code != ClientErrorCodes.ConnectionLost)
        {
            _logger.SubscriptionRefused(stream.Channel, ex.Code);
            _streams.TryRemove(new KeyValuePair<string, ChannelStream>(stream.Channel, stream));
            stream.Fail(ex);
            return;
        }
        catch (RealtimeException)
        {
            return; // connection_lost: the next connection subscribes again.
        }
        catch (OperationCanceledException)
        {
            // Given up before the answer: the server may take it all the same, so it counts as held there.
            await GiveBackIfStoppedAsync(connection, stream);
            throw;
        }
        if (TestHooks?.SubscribeAnswered is { } answered)
        {
            await answered(connection, stream.Channel);
        }
        if (await GiveBackIfStoppedAsync(connection, stream))
        {
            return;
        }
        if (position is { } seq)
        {
            stream.StartAt(seq);
        }
        stream.MarkReady();
    }

    /// <summary>
    /// Records that the server holds the subscription on <paramref name="connection"/>; when the application stopped it
    /// meanwhile (the stop could not see this connection yet), unsubscribes it there instead. True when given back.
    /// </summary>
    private async Task<bool> GiveBackIfStoppedAsync(IRealtimeConnection connection, ChannelStream stream)
    {
        if (stream.Hold(connection))
        {
            return false;
        }
        _logger.SubscribedAfterStop(stream.Channel, connection.Transport);
        await UnsubscribeQuietlyAsync(connection, stream.Channel);
        return true;
    }

    /// <summary>Bounded; a connection that is gone (or going) holds nothing any more, so its failure is not one.</summary>
    private static async Task UnsubscribeQuietlyAsync(IRealtimeConnection connection, string channel)
    {
        using var timeout = new CancellationTokenSource(s_unsubscribeTimeout);
        try
        {
            await connection.UnsubscribeAsync(channel, timeout.Token);
        }
        catch (Exception ex) when (ex is RealtimeException or OperationCanceledException or ConnectFailure or HttpRequestException or ObjectDisposedException)
        {
            // Gone with its connection (or disposed just now by an upgrade), or never accepted.
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
