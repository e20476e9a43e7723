using RealtimeAspire.Client.Diagnostics;
using RealtimeAspire.Client.Transports;

namespace RealtimeAspire.Client;

/// <summary>
/// Holding a connection, and the background upgrade: after a fallback (SSE or long polling while a better transport
/// is allowed), every <see cref="RealtimeClientOptions.UpgradeAfter"/> the better transports are tried again while the
/// working connection stays up. One that opens gets every subscription, resumed from its last sequence, and replaces
/// the old connection; the overlap is harmless (each subscription drops what it already delivered).
/// </summary>
public sealed partial class RealtimeClient
{
    /// <summary>Holds the connection (or the better one it was upgraded to) until it ends; returns why.</summary>
    private async Task<TransportClose> HoldAsync(IRealtimeConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var stopUpgrade = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var upgrade = UpgradeAsync(connection, stopUpgrade.Token);
            try
            {
                var ended = await Task.WhenAny(connection.Closed, upgrade).WaitAsync(cancellationToken);
                if (ended == upgrade && upgrade.IsCompletedSuccessfully)
                {
                    var previous = connection;
                    connection = await upgrade;
                    Adopt(connection);
                    _opening = null;
                    _logger.Upgraded(previous.Transport, connection.Transport, connection.Replica);
                    ClientTelemetry.Upgrades.Add(1, Outcome(previous.Transport, connection.Transport, "upgraded"));
                    await previous.DisposeAsync();
                    continue;
                }
            }
            finally
            {
                await stopUpgrade.CancelAsync();
                await DiscardAsync(upgrade);
            }
            var close = await connection.Closed;
            Lose(connection);
            await connection.DisposeAsync();
            return close;
        }
    }

    /// <summary>A candidate that opened just as the current connection ended (or the client was disposed) is not needed.</summary>
    private async Task DiscardAsync(Task<IRealtimeConnection> upgrade)
    {
        try
        {
            var candidate = await upgrade;
            if (!ReferenceEquals(candidate, Volatile.Read(ref _connection)))
            {
                _opening = null;
                await candidate.DisposeAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Completes with an opened, subscribed connection over a better transport; runs until stopped otherwise.</summary>
    private async Task<IRealtimeConnection> UpgradeAsync(IRealtimeConnection current, CancellationToken cancellationToken)
    {
        var allowed = _options.Transports;
        var better = allowed.Take(Math.Max(0, allowed.IndexOf(current.Transport))).ToList();
        if (better.Count == 0 || _options.UpgradeAfter <= TimeSpan.Zero)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        while (true)
        {
            await Task.Delay(_options.UpgradeAfter, cancellationToken);
            foreach (var transport in better)
            {
                if (current.Closed.IsCompleted)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken); // the connect loop takes over
                }
                if (await TryOpenAsync(current, transport, cancellationToken) is { } candidate)
                {
                    return candidate;
                }
            }
        }
    }

    private async Task<IRealtimeConnection?> TryOpenAsync(IRealtimeConnection current, RealtimeTransport transport, CancellationToken cancellationToken)
    {
        IRealtimeConnection? candidate = null;
        try
        {
            candidate = await OpenAsync(transport, cancellationToken);
            _opening = candidate; // frames of both connections count until the candidate replaces the current one
            await ResubscribeAsync(candidate, cancellationToken);
            if (TestHooks?.CandidateSubscribed is { } subscribed)
            {
                await subscribed(candidate);
            }
            if (candidate.Closed.IsCompleted)
            {
                throw new ConnectFailure(ConnectFailureKind.Transport, "The connection closed while it subscribed.");
            }
            _remembered = transport;
            return candidate;
        }
        catch (Exception ex) when (ex is ConnectFailure or RealtimeException or HttpRequestException or OperationCanceledException)
        {
            // Give back what the candidate claimed: the subscriptions are still on the current connection.
            var failed = _opening ?? candidate;
            _opening = null;
            if (failed is not null)
            {
                foreach (var stream in _streams.Values)
                {
                    stream.Reclaim(failed, current);
                }
            }
            if (candidate is not null)
            {
                await candidate.DisposeAsync();
            }
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            _logger.UpgradeFailed(transport, ex.Message);
            ClientTelemetry.Upgrades.Add(1, Outcome(current.Transport, transport, "failed"));
            return null;
        }
    }

    private static ReadOnlySpan<KeyValuePair<string, object?>> Outcome(RealtimeTransport from, RealtimeTransport to, string outcome) =>
        new KeyValuePair<string, object?>[] { new("from", from.ToString()), new("to", to.ToString()), new("outcome", outcome) };
}
