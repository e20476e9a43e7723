using System.Collections.Concurrent;
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
/// One concern per file. The connect loop (RealtimeClient.Connecting.cs, <see cref="RunAsync"/>) opens one connection
/// at a time (<see cref="ConnectOnceAsync"/>: the transport that worked last, then the others best first), subscribes
/// every channel on it (<see cref="ResubscribeAsync"/>, RealtimeClient.Subscriptions.cs), holds it until it ends
/// (<see cref="HoldAsync"/>, which also moves to a better transport in the background after a fallback:
/// RealtimeClient.Upgrade.cs), waits, and goes again. Frames from the current connection reach <see cref="OnFrame"/>
/// (RealtimeClient.Frames.cs), which hands messages, presence and typing events to each subscription's
/// <see cref="ChannelStream"/>. Publishing is in RealtimeClient.Publishing.cs; the channel APIs over HTTP (history,
/// presence, typing) in RealtimeClient.ChannelApis.cs. This file holds the state they share, the token and disposal.
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

    /// <summary>The test seam (<see cref="ClientTestHooks"/>); null outside tests.</summary>
    internal ClientTestHooks? TestHooks { get; set; }

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
        // Off the caller's SynchronizationContext: the connect loop, the hold and every receive loop it starts must not
        // wait for a UI thread (or a test framework's few threads) that an application's handler may be blocking.
        _loop = Task.Run(() => RunAsync(_disposed.Token));
    }

    public RealtimeConnectionState State { get; private set; } = new(RealtimeConnectionStatus.Connecting);

    /// <summary>Every state change, raised on the connect loop: keep handlers short.</summary>
    public event Action<RealtimeConnectionState>? StateChanged;

    /// <summary>Waits until a connection is up (publishes wait for this by themselves).</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) => await WaitConnectedAsync(cancellationToken);

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
