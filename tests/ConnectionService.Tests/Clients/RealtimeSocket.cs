using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace RealtimeAspire.ConnectionService.Tests.Clients;

/// <summary>A test client speaking realtime.v1.json: frames in a queue, waits bounded, close status recorded.</summary>
public sealed class RealtimeSocket : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _stash = [];
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Status, string? Reason)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _reading;
    private long _nextId;

    public JsonElement Welcome { get; private set; }

    public Task<(WebSocketCloseStatus? Status, string? Reason)> Closed => _closed.Task;

    public WebSocketState State => _socket.State;

    public static async Task<RealtimeSocket> ConnectAsync(Uri service, string token, bool startReading = true, string? origin = null)
    {
        var client = new RealtimeSocket();
        client._socket.Options.AddSubProtocol("realtime.v1.json");
        if (origin is not null)
        {
            client._socket.Options.SetRequestHeader("Origin", origin);
        }
        var uri = new UriBuilder(service) { Scheme = service.Scheme == "https" ? "wss" : "ws", Path = "/connect/ws", Query = $"access_token={token}" }.Uri;
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await client._socket.ConnectAsync(uri, timeout.Token);
        if (startReading)
        {
            client.StartReading();
            client.Welcome = await client.NextAsync();
        }
        return client;
    }

    /// <summary>Starts draining the socket; a test of a slow consumer connects without reading and calls this later.</summary>
    public void StartReading() => _reading ??= Task.Run(ReadLoopAsync);

    public Task SendAsync(object frame) => SendRawAsync(JsonSerializer.SerializeToUtf8Bytes(frame));

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    public long NextId() => Interlocked.Increment(ref _nextId);

    public Task<JsonElement> NextAsync(TimeSpan? timeout = null) => NextAsync(_ => true, timeout);

    /// <summary>
    /// The first frame that matches (bounded wait). Frames passed over are kept, in order, for later reads: a
    /// message can arrive before the ack of the publish that sent it.
    /// </summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var stashed = _stash.FindIndex(f => match(f));
        if (stashed >= 0)
        {
            var found = _stash[stashed];
            _stash.RemoveAt(stashed);
            return found;
        }
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            JsonElement frame;
            try
            {
                frame = await _frames.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No matching frame arrived in time.");
            }
            catch (ChannelClosedException)
            {
                var (status, reason) = await Closed;
                throw new InvalidOperationException($"The socket closed before a matching frame: {status} {reason}");
            }
            if (match(frame))
            {
                return frame;
            }
            _stash.Add(frame);
        }
    }

    public async Task<JsonElement> SubscribeAsync(string channel, long? since = null)
    {
        var id = NextId();
        await SendAsync(since is null ? new { type = "subscribe", id, channel } : new { type = "subscribe", id, channel, since });
        return await NextAsync(f => f.TryGetProperty("id", out var i) && i.GetInt64() == id);
    }

    /// <summary>Publishes and waits for this publish's ack (or error); a first publish that recovers a counter may need a longer <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> PublishAsync(string channel, object data, TimeSpan? timeout = null)
    {
        var id = NextId();
        await SendAsync(new { type = "publish", id, channel, data });
        return await NextAsync(f => f.TryGetProperty("id", out var i) && i.GetInt64() == id, timeout);
    }

    /// <summary>The next <paramref name="count"/> message frames of a channel (other frames kept for later reads).</summary>
    public async Task<List<JsonElement>> MessagesAsync(string channel, int count, TimeSpan? timeout = null)
    {
        var messages = new List<JsonElement>(count);
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (messages.Count < count)
        {
            var remaining = deadline - DateTime.UtcNow;
            try
            {
                messages.Add(await NextAsync(f => f.GetProperty("type").GetString() == "message" && f.GetProperty("channel").GetString() == channel,
                    remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1)));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Got {messages.Count} of {count} messages of {channel}.");
            }
        }
        return messages;
    }

    /// <summary>True when a frame is waiting (passed over or unread), without waiting for one.</summary>
    public bool TryTakeQueued(out JsonElement frame)
    {
        if (_stash.Count > 0)
        {
            frame = _stash[0];
            _stash.RemoveAt(0);
            return true;
        }
        return _frames.Reader.TryRead(out frame);
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (WebSocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (OperationCanceledException)
        {
        }
        _socket.Abort();
        _socket.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((result.CloseStatus, result.CloseStatusDescription));
                    break;
                }
                using var document = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, count));
                _frames.Writer.TryWrite(document.RootElement.Clone());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult((_socket.CloseStatus, _socket.CloseStatusDescription ?? ex.Message));
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
