using RealtimeAspire.Client.Delivery;
using RealtimeAspire.Client.Diagnostics;
using RealtimeAspire.Client.Transports;

namespace RealtimeAspire.Client;

/// <summary>
/// The connect loop: one connection at a time, the remembered transport first, then the others best first; full-jitter
/// backoff (or the drain delay, or Retry-After) between attempts; a connection that opens gets every subscription.
/// </summary>
public sealed partial class RealtimeClient
{
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan delay;
            string reason;
            try
            {
                var connection = await ConnectOnceAsync(cancellationToken);
                attempt = 0;
                var close = await HoldAsync(connection, cancellationToken);
                reason = close.Reason;
                delay = close.After ?? Backoff(attempt);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (ConnectFailure failure)
            {
                reason = failure.Message;
                delay = TimeSpan.FromTicks(Math.Max((failure.RetryAfter ?? TimeSpan.Zero).Ticks, Backoff(attempt).Ticks));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The token provider or the network failed in a way no transport explains: wait and try again.
                reason = $"{ex.GetType().Name}: {ex.Message}";
                delay = Backoff(attempt);
            }
            attempt++;
            _logger.Reconnecting(attempt, (long)delay.TotalMilliseconds, reason);
            ClientTelemetry.Reconnects.Add(1);
            SetState(new RealtimeConnectionState(RealtimeConnectionStatus.Reconnecting, Attempt: attempt, Delay: delay, Reason: reason));
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void Lose(IRealtimeConnection connection)
    {
        lock (_stateLock)
        {
            if (ReferenceEquals(_connection, connection))
            {
                _connection = null;
                if (_connected.Task.IsCompleted)
                {
                    _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_options.BackoffMax.TotalMilliseconds, _options.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(_options.BackoffJitter ? Random.Shared.NextDouble() * ceiling : ceiling);
    }

    /// <summary>The remembered transport first, then the others best first; a server refusal (429, 503) ends the round.</summary>
    private async Task<IRealtimeConnection> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var allowed = _options.Transports;
        var order = _remembered is { } remembered && allowed.Contains(remembered) ? [remembered, .. allowed.Where(t => t != remembered)] : allowed.ToList();
        ConnectFailure? last = null;
        foreach (var transport in order)
        {
            IRealtimeConnection? connection = null;
            try
            {
                connection = await OpenAsync(transport, cancellationToken);
                await ResubscribeAsync(connection, cancellationToken);
                _remembered = transport;
                Adopt(connection);
                return connection;
            }
            catch (ConnectFailure failure)
            {
                _logger.TransportFailed(transport, failure.Message);
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
                if (failure.Kind == ConnectFailureKind.Server)
                {
                    throw; // another transport would be refused the same way: wait
                }
                last = failure;
            }
            finally
            {
                _opening = null;
            }
        }
        throw last ?? new ConnectFailure(ConnectFailureKind.Transport, "No transport is allowed.");
    }

    private async Task<IRealtimeConnection> OpenAsync(RealtimeTransport transport, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            IRealtimeConnection connection = transport switch
            {
                RealtimeTransport.WebSocket => new WebSocketConnection(_context),
                RealtimeTransport.ServerSentEvents => new ServerSentEventsConnection(_context),
                _ => new LongPollingConnection(_context),
            };
            _opening = connection;
            var opensWith = new List<ChannelStream>();
            if (transport != RealtimeTransport.WebSocket)
            {
                // A stream starts with the channels the server accepted before, resumed from their positions.
                opensWith.AddRange(_streams.Values.Where(s => s.Accepted && s.TryClaim(connection)));
            }
            try
            {
                await connection.OpenAsync(cancellationToken);
                foreach (var stream in opensWith)
                {
                    await GiveBackIfStoppedAsync(connection, stream); // stopped while the stream opened with it
                }
                return connection;
            }
            catch (ConnectFailure failure) when (failure.Kind == ConnectFailureKind.Unauthorized && attempt == 0)
            {
                await connection.DisposeAsync();
                await TokenAsync(true, cancellationToken);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
    }

    private void Adopt(IRealtimeConnection connection)
    {
        ClientTelemetry.Connects.Add(1, new KeyValuePair<string, object?>("transport", connection.Transport.ToString()));
        _logger.Connected(connection.Transport, connection.Replica);
        // The state first: whoever awaits ConnectAsync sees it.
        SetState(new RealtimeConnectionState(RealtimeConnectionStatus.Connected, connection.Transport, connection.Replica));
        lock (_stateLock)
        {
            _connection = connection;
            if (_connected.Task.IsCompleted)
            {
                // An upgrade replaces a working connection: publishes from now on go over the new one.
                _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            _connected.TrySetResult(connection);
        }
        // Subscriptions made while this connection was opening.
        _ = ResubscribeLateAsync(connection);
    }
}
