using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;

namespace RealtimeAspire.Client.Transports;

/// <summary><c>GET /connect/ws</c>, subprotocol <c>realtime.v1.json</c>: one receive loop; sends serialised by a lock; requests correlated by <c>id</c>.</summary>
internal sealed class WebSocketConnection(TransportContext context) : IRealtimeConnection
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource<TransportClose> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private long _nextId;
    private Task _receiving = Task.CompletedTask;

    public RealtimeTransport Transport => RealtimeTransport.WebSocket;

    public string Replica { get; private set; } = "";

    public Task<TransportClose> Closed => _closed.Task;

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        var url = new UriBuilder(context.Url("/connect/ws")) { Scheme = context.EdgeUrl.Scheme == "https" ? "wss" : "ws" }.Uri;
        _socket.Options.AddSubProtocol(TransportContext.Subprotocol);
        _socket.Options.SetRequestHeader("Authorization", $"Bearer {await context.TokenAsync(false, cancellationToken)}");
        if (context.Affinity is { } affinity)
        {
            _socket.Options.SetRequestHeader(TransportContext.AffinityHeader, affinity);
        }
        _socket.Options.CollectHttpResponseDetails = true;
        context.Options.ConfigureWebSocket?.Invoke(_socket.Options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(context.Options.ConnectTimeout);
        try
        {
            await _socket.ConnectAsync(url, timeout.Token);
        }
        catch (WebSocketException ex)
        {
            // Unlike a browser, .NET sees the status of a refused upgrade.
            var status = _socket.HttpStatusCode;
            var retryAfter = _socket.HttpResponseHeaders?.TryGetValue("Retry-After", out var values) == true
                && int.TryParse(values.FirstOrDefault(), out var seconds) ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            throw status switch
            {
                HttpStatusCode.Unauthorized => new ConnectFailure(ConnectFailureKind.Unauthorized, "401 on the WebSocket upgrade", inner: ex),
                HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => new ConnectFailure(ConnectFailureKind.Server, $"{(int)status} on the WebSocket upgrade", retryAfter, inner: ex),
                _ => new ConnectFailure(ConnectFailureKind.Transport, $"WebSocket upgrade failed ({(int)status}): {ex.Message}", inner: ex),
            };
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConnectFailure(ConnectFailureKind.Transport, "The WebSocket did not open in time.", inner: ex);
        }
        var welcome = await ReceiveFrameAsync(timeout.Token).ConfigureAwait(false)
            ?? throw new ConnectFailure(ConnectFailureKind.Transport, "The WebSocket closed before its welcome.");
        if (welcome.GetProperty("type").GetString() != "welcome")
        {
            throw new ConnectFailure(ConnectFailureKind.Transport, "The first frame was not a welcome.");
        }
        Replica = welcome.TryGetProperty("replica", out var replica) ? replica.GetString() ?? "" : "";
        if (welcome.TryGetProperty("affinity", out var key) && key.ValueKind == JsonValueKind.String)
        {
            context.Affinity = key.GetString();
        }
        _receiving = ReceiveLoopAsync(_stop.Token);
    }

    private async Task<JsonElement?> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                using var document = JsonDocument.Parse(buffer.WrittenMemory);
                return document.RootElement.Clone();
            }
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var reason = "closed";
        try
        {
            while (await ReceiveFrameAsync(cancellationToken) is { } frame)
            {
                Dispatch(frame);
            }
            reason = $"closed by the server ({(int?)_socket.CloseStatus} {_socket.CloseStatusDescription})";
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or JsonException or IOException)
        {
            reason = ex.Message;
        }
        End(new TransportClose(reason));
    }

    private void Dispatch(JsonElement frame)
    {
        var type = frame.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type is "ack" or "error" or "pong" && frame.TryGetProperty("id", out var idElement) && idElement.TryGetInt64(out var id)
            && _pending.TryRemove(id, out var request))
        {
            if (type == "error")
            {
                request.TrySetException(new RealtimeException(frame.GetProperty("code").GetString() ?? "error", frame.TryGetProperty("message", out var m) ? m.GetString() ?? "" : ""));
            }
            else
            {
                request.TrySetResult(frame);
            }
            return;
        }
        context.Frame(this, frame);
    }

    private async Task<JsonElement> RequestAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        if (_closed.Task.IsCompleted)
        {
            _pending.TryRemove(id, out _);
            throw new RealtimeException(ClientErrorCodes.ConnectionLost, "The WebSocket is closed.");
        }
        await SendAsync(writer =>
        {
            write(writer);
            writer.WriteNumber("id", id);
        }, cancellationToken);
        using var registration = cancellationToken.Register(() => reply.TrySetCanceled(cancellationToken));
        return await reply.Task;
    }

    private async Task SendAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new RealtimeException(ClientErrorCodes.ConnectionLost, ex.Message, inner: ex);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task<long?> SubscribeAsync(string channel, long? since, CancellationToken cancellationToken)
    {
        var ack = await RequestAsync(w =>
        {
            w.WriteString("type", "subscribe");
            w.WriteString("channel", channel);
            if (since is { } seq)
            {
                w.WriteNumber("since", seq);
            }
        }, cancellationToken);
        return ack.TryGetProperty("seq", out var s) && s.TryGetInt64(out var position) ? position : null;
    }

    public Task UnsubscribeAsync(string channel, CancellationToken cancellationToken) =>
        RequestAsync(w =>
        {
            w.WriteString("type", "unsubscribe");
            w.WriteString("channel", channel);
        }, cancellationToken);

    public async Task<PublishAck> PublishAsync(string channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var ack = await RequestAsync(w =>
        {
            w.WriteString("type", "publish");
            w.WriteString("channel", channel);
            w.WritePropertyName("data");
            w.WriteRawValue(data.Span, skipInputValidation: true);
        }, cancellationToken);
        return new PublishAck(ack.GetProperty("seq").GetInt64(), ack.GetProperty("msgId").GetString()!);
    }

    public void RequestReconnect(TransportClose close) => End(close);

    private void End(TransportClose close)
    {
        if (_closed.TrySetResult(close))
        {
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var request))
                {
                    request.TrySetException(new RealtimeException(ClientErrorCodes.ConnectionLost, $"The connection closed ({close.Reason}) before the reply."));
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        End(new TransportClose("closed by the client"));
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Gone already.
            }
        }
        _stop.Cancel();
        await _receiving.ConfigureAwait(false);
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
