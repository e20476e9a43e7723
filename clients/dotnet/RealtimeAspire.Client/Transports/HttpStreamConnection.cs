using System.Text.Json;

namespace RealtimeAspire.Client.Transports;

/// <summary>
/// Base of SSE and long polling: their channels are named in the URL, so a subscription change restarts the request
/// with every channel's position (<c>chat:a@42|chat:b@7</c>); sends go over HTTP POST.
/// </summary>
internal abstract class HttpStreamConnection(TransportContext context) : IRealtimeConnection
{
    private readonly List<string> _channels = [];
    private readonly SemaphoreSlim _restartLock = new(1, 1);
    private readonly TaskCompletionSource<TransportClose> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _stream = new();
    private Task _running = Task.CompletedTask;

    protected TransportContext Context { get; } = context;

    public abstract RealtimeTransport Transport { get; }

    public string Replica { get; protected set; } = "";

    public Task<TransportClose> Closed => _closed.Task;

    protected bool IsClosed => _closed.Task.IsCompleted;

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        foreach (var (channel, _) in Context.AcceptedPositions())
        {
            _channels.Add(channel);
        }
        if (_channels.Count == 0)
        {
            // Nothing subscribed yet: a stream of the user's own private channel proves the transport works (and
            // keeps the connection, so Connected is honest). Without a readable token: just ask the edge.
            if (JwtSubject.Of(await Context.TokenAsync(false, cancellationToken)) is not { } subject)
            {
                await OpenIdleAsync(cancellationToken);
                return;
            }
            _idleChannel = $"user:{subject}";
        }
        await StartStreamAsync(cancellationToken);
    }

    /// <summary><c>user:{sub}</c>, streamed while no channel is subscribed; its messages go nowhere.</summary>
    private string? _idleChannel;

    private List<string> StreamChannels => _channels.Count == 0 && _idleChannel is { } idle ? [idle] : _channels;

    /// <summary>No channel yet: nothing to stream, but the edge must answer (and say which replica).</summary>
    private async Task OpenIdleAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Context.Options.ConnectTimeout);
        HttpResponseMessage response;
        try
        {
            response = await Context.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Context.Url("/connect/info")), HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ConnectFailure(ConnectFailureKind.Transport, $"GET /connect/info failed: {ex.Message}", inner: ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await TransportContext.FailureAsync(response, cancellationToken);
            }
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            Replica = document.RootElement.TryGetProperty("replica", out var replica) ? replica.GetString() ?? "" : "";
        }
    }

    private async Task StartStreamAsync(CancellationToken cancellationToken)
    {
        var stream = new CancellationTokenSource();
        Interlocked.Exchange(ref _stream, stream);
        if (IsClosed)
        {
            // Disposed meanwhile (an unsubscribe racing an upgrade's disposal of this connection): DisposeAsync may
            // have cancelled the stream before this one, so no stream may outlive it holding channels on the server.
            await stream.CancelAsync();
        }
        var positions = StreamChannels.Select(c => (Channel: c, Seq: Context.SeqOf(c))).ToList();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stream.Token);
        timeout.CancelAfter(Context.Options.ConnectTimeout);
        var opened = await StartAsync(positions, timeout.Token, stream.Token);
        _running = RunAndEndAsync(opened, stream);
    }

    private async Task RunAndEndAsync(Task running, CancellationTokenSource stream)
    {
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (!stream.IsCancellationRequested)
            {
                End(new TransportClose(ex.Message, (ex as ConnectFailure)?.RetryAfter));
            }
            return;
        }
        catch (OperationCanceledException)
        {
        }
        if (!stream.IsCancellationRequested)
        {
            End(new TransportClose("the stream ended"));
        }
    }

    /// <summary>Opens the stream for these channels; returns after its welcome, with the task that runs it until it ends.</summary>
    protected abstract Task<Task> StartAsync(IReadOnlyList<(string Channel, long? Seq)> positions, CancellationToken openTimeout, CancellationToken streamAborted);

    protected static string PositionToken(IEnumerable<(string Channel, long? Seq)> positions) =>
        string.Join('|', positions.Where(p => p.Seq is not null).Select(p => $"{p.Channel}@{p.Seq}"));

    protected static string ChannelList(IEnumerable<(string Channel, long? Seq)> positions) =>
        string.Join(',', positions.Select(p => p.Channel));

    public async Task<long?> SubscribeAsync(string channel, long? since, CancellationToken cancellationToken)
    {
        try
        {
            await RestartAsync(() =>
            {
                _channels.Add(channel);
                return true;
            }, cancellationToken);
        }
        catch (ConnectFailure failure) when (failure.Kind == ConnectFailureKind.Channel)
        {
            // Only this channel was refused: the others go on.
            await RestartAsync(() => _channels.Remove(channel), cancellationToken);
            throw new RealtimeException(failure.Code ?? "refused", failure.Message);
        }
        return null;
    }

    /// <summary>Restarts the stream without the channel; a stream that does not carry it is left alone.</summary>
    public Task UnsubscribeAsync(string channel, CancellationToken cancellationToken) =>
        RestartAsync(() => _channels.Remove(channel), cancellationToken);

    /// <summary><paramref name="change"/> says whether the channel list changed: only then is the stream restarted.</summary>
    private async Task RestartAsync(Func<bool> change, CancellationToken cancellationToken)
    {
        await _restartLock.WaitAsync(cancellationToken);
        try
        {
            if (IsClosed)
            {
                throw new RealtimeException(ClientErrorCodes.ConnectionLost, "The stream ended.");
            }
            if (!change())
            {
                return;
            }
            await _stream.CancelAsync();
            await _running.ConfigureAwait(false);
            if (StreamChannels.Count == 0)
            {
                return;
            }
            try
            {
                await StartStreamAsync(cancellationToken);
            }
            catch (ConnectFailure failure) when (failure.Kind != ConnectFailureKind.Channel)
            {
                End(new TransportClose(failure.Message, failure.RetryAfter));
                throw new RealtimeException(ClientErrorCodes.ConnectionLost, failure.Message);
            }
        }
        finally
        {
            _restartLock.Release();
        }
    }

    public Task<PublishAck> PublishAsync(string channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Context.PublishOverHttpAsync(channel, data, cancellationToken);

    public void RequestReconnect(TransportClose close) => End(close);

    protected async Task<HttpResponseMessage> ConnectRequestAsync(string pathAndQuery, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await Context.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Context.Url(pathAndQuery)), completion, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ConnectFailure(ConnectFailureKind.Transport, $"GET {pathAndQuery.Split('?')[0]} failed: {ex.Message}", inner: ex);
        }
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await TransportContext.FailureAsync(response, cancellationToken);
            }
        }
        if (response.Headers.TryGetValues(TransportContext.ReplicaHeader, out var replicas))
        {
            Replica = replicas.FirstOrDefault() ?? Replica;
        }
        return response;
    }

    protected void TakeWelcome(JsonElement welcome)
    {
        Replica = welcome.TryGetProperty("replica", out var replica) ? replica.GetString() ?? Replica : Replica;
        if (welcome.TryGetProperty("affinity", out var key) && key.ValueKind == JsonValueKind.String)
        {
            Context.Affinity = key.GetString();
        }
    }

    /// <summary>
    /// Positions the server fixed for this stream (<c>chat:a@42|chat:b@7</c>: the long-poll cursor, the SSE welcome's
    /// <c>id:</c>) reach the client as <c>position</c> frames: where "from now" starts for a channel subscribed without
    /// a position, so a reconnect before its first message still resumes from there.
    /// </summary>
    protected IReadOnlyList<(string Channel, long Seq)> ReportPositions(string token)
    {
        var positions = new List<(string, long)>();
        foreach (var part in token.Split('|'))
        {
            var at = part.LastIndexOf('@');
            if (at > 0 && long.TryParse(part.AsSpan(at + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq))
            {
                positions.Add((part[..at], seq));
                using var position = JsonDocument.Parse(JsonSerializer.Serialize(new { type = "position", channel = part[..at], seq }));
                Context.Frame(this, position.RootElement.Clone());
            }
        }
        return positions;
    }

    protected void End(TransportClose close) => _closed.TrySetResult(close);

    public async ValueTask DisposeAsync()
    {
        End(new TransportClose("closed by the client"));
        await _stream.CancelAsync();
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stream.Dispose();
        _restartLock.Dispose();
    }
}
