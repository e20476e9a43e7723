using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeAspire.Client.Delivery;
using RealtimeAspire.Client.Diagnostics;
using RealtimeAspire.Client.Transports;

namespace RealtimeAspire.Client;

/// <summary>
/// A connection to the RealtimeAspire edge (docs/protocol.md): WebSocket, else SSE + POST, else long polling;
/// reconnects with full-jitter backoff (or the drain delay, or Retry-After) and resumes every subscription from its
/// last sequence on whatever transport and replica it lands on. Each durable message reaches the application once
/// and in order.
/// </summary>
/// <remarks>
/// Steps: the connect loop (<see cref="RunAsync"/>) opens one connection at a time (<see cref="ConnectOnceAsync"/>:
/// the transport that worked last, then the others best first), subscribes every channel on it
/// (<see cref="ResubscribeAsync"/>), holds it until it ends (<see cref="HoldAsync"/>, which also moves to a better
/// transport in the background after a fallback: RealtimeClient.Upgrade.cs), waits, and goes again. Frames from the
/// current connection reach <see cref="OnFrame"/>, which hands messages, presence and typing events to each
/// subscription's <see cref="ChannelStream"/>. The channel APIs over HTTP (history, presence, typing) are in
/// RealtimeClient.ChannelApis.cs.
/// </remarks>
public sealed partial class RealtimeClient : IAsyncDisposable
{
    private static readonly TimeSpan s_unsubscribeTimeout = TimeSpan.FromSeconds(2);

    private readonly RealtimeClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;
    private readonly TransportContext _context;
    private readonly ConcurrentDictionary<string, ChannelStream> _streams = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private readonly Lock _stateLock = new();
    private readonly Task _loop;
    private TaskCompletionSource<IRealtimeConnection> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IRealtimeConnection? _connection;
    private IRealtimeConnection? _opening;
    private RealtimeTransport? _remembered;
    private string? _token;

    public RealtimeClient(RealtimeClientOptions options, HttpClient? httpClient = null, ILogger<RealtimeClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }
        _options = options;
        _ownsHttp = httpClient is null;
        // No cookies: the client carries the edge's affinity key itself (header), per client, not per cookie jar.
        _http = httpClient ?? new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _context = new TransportContext(options, _http, TokenAsync,
            () => [.. _streams.Values.Where(s => _opening is { } c && s.IsSubscribedOn(c)).Select(s => (s.Channel, s.LastSeq))],
            channel => _streams.TryGetValue(channel, out var stream) ? stream.LastSeq : null,
            OnFrame);
        _loop = RunAsync(_disposed.Token);
    }

    public RealtimeConnectionState State { get; private set; } = new(RealtimeConnectionStatus.Connecting);

    /// <summary>Every state change, raised on the connect loop: keep handlers short.</summary>
    public event Action<RealtimeConnectionState>? StateChanged;

    /// <summary>Waits until a connection is up (publishes wait for this by themselves).</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) => await WaitConnectedAsync(cancellationToken);

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

    /// <summary>Publishes and returns the durable ack; throws <see cref="RealtimeException"/> with the protocol's code.</summary>
    public async Task<PublishAck> PublishAsync<T>(string channel, T data, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var payload = JsonSerializer.SerializeToUtf8Bytes(data, JsonSerializerOptions.Web);
        var connection = await WaitConnectedAsync(cancellationToken);
        using var activity = ClientTelemetry.ActivitySource.StartActivity("publish", ActivityKind.Producer);
        activity?.SetTag("realtime.channel", channel);
        activity?.SetTag("realtime.transport", connection.Transport.ToString());
        var started = Stopwatch.GetTimestamp();
        try
        {
            var ack = await connection.PublishAsync(channel, payload, cancellationToken);
            activity?.SetTag("realtime.seq", ack.Seq);
            return ack;
        }
        catch (RealtimeException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Code);
            throw;
        }
        finally
        {
            ClientTelemetry.PublishDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private async Task<IRealtimeConnection> WaitConnectedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        Task<IRealtimeConnection> connected;
        lock (_stateLock)
        {
            connected = _connected.Task;
        }
        return await connected.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
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
            if (transport != RealtimeTransport.WebSocket)
            {
                // A stream starts with the channels the server accepted before, resumed from their positions.
                foreach (var stream in _streams.Values.Where(s => s.Accepted))
                {
                    stream.TryClaim(connection);
                }
            }
            try
            {
                await connection.OpenAsync(cancellationToken);
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
            if (await connection.SubscribeAsync(stream.Channel, stream.LastSeq, cancellationToken) is { } position)
            {
                stream.StartAt(position);
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

    private async ValueTask<string> TokenAsync(bool refresh, CancellationToken cancellationToken)
    {
        await _tokenLock.WaitAsync(cancellationToken);
        try
        {
            if (refresh || _token is null)
            {
                _token = _options.TokenProvider is { } provider ? await provider(cancellationToken) : _options.Token!;
            }
            return _token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    private void OnFrame(IRealtimeConnection connection, JsonElement frame)
    {
        if (!ReferenceEquals(connection, Volatile.Read(ref _connection)) && !ReferenceEquals(connection, _opening))
        {
            return; // a replaced connection's last words
        }
        var type = frame.TryGetProperty("type", out var t) ? t.GetString() : null;
        var channel = frame.TryGetProperty("channel", out var c) ? c.GetString() ?? "" : "";
        _streams.TryGetValue(channel, out var stream);
        switch (type)
        {
            case "message":
                stream?.Accept(ToMessage(frame));
                break;
            case "position" when frame.TryGetProperty("seq", out var seq):
                stream?.StartAt(seq.GetInt64());
                break;
            case "presence":
                stream?.Presence(new RealtimePresenceEvent(channel, PresenceUsers(frame, "joined"), PresenceUsers(frame, "left")));
                break;
            case "typing":
                stream?.Typing(new RealtimeTypingEvent(channel, frame.TryGetProperty("user", out var user) ? user.GetString() ?? "" : ""));
                break;
            case "reconnect":
                var after = frame.TryGetProperty("afterMs", out var ms) && ms.TryGetInt64(out var delay) ? TimeSpan.FromMilliseconds(delay) : TimeSpan.Zero;
                connection.RequestReconnect(new TransportClose(frame.TryGetProperty("reason", out var r) ? r.GetString() ?? "reconnect" : "reconnect", after));
                break;
            case "error" when stream is not null:
                stream.Error(new RealtimeException(
                    frame.TryGetProperty("code", out var code) ? code.GetString() ?? "error" : "error",
                    frame.TryGetProperty("message", out var message) ? message.GetString() ?? "" : ""));
                break;
            default:
                break;
        }
    }

    private static RealtimePresenceUser[] PresenceUsers(JsonElement frame, string property) =>
        frame.TryGetProperty(property, out var users) && users.ValueKind == JsonValueKind.Array
            ? [.. users.EnumerateArray().Select(u => new RealtimePresenceUser(
                u.TryGetProperty("user", out var id) ? id.GetString() ?? "" : "",
                u.TryGetProperty("name", out var name) ? name.GetString() ?? "" : ""))]
            : [];

    private static RealtimeMessage ToMessage(JsonElement frame) => new(
        frame.GetProperty("channel").GetString() ?? "",
        frame.TryGetProperty("seq", out var seq) ? seq.GetInt64() : 0,
        frame.TryGetProperty("msgId", out var id) ? id.GetString() ?? "" : "",
        frame.TryGetProperty("from", out var from) ? from.GetString() ?? "" : "",
        frame.TryGetProperty("ts", out var ts) ? ts.GetInt64() : 0,
        frame.TryGetProperty("data", out var data) ? data.Clone() : default);

    private void SetState(RealtimeConnectionState state)
    {
        State = state;
        StateChanged?.Invoke(state);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        await _disposed.CancelAsync();
        await _loop.ConfigureAwait(false);
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync();
        }
        foreach (var stream in _streams.Values)
        {
            stream.Fail(new RealtimeException(ClientErrorCodes.Closed, "The client was disposed."));
        }
        lock (_stateLock)
        {
            _connected.TrySetException(new RealtimeException(ClientErrorCodes.Closed, "The client was disposed."));
        }
        SetState(new RealtimeConnectionState(RealtimeConnectionStatus.Disconnected, Reason: "disposed"));
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
