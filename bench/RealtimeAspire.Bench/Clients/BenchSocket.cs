using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;

namespace RealtimeAspire.Bench.Clients;

/// <summary>Called from a socket's receive loop with the parsed frame and the timestamp taken on receipt.</summary>
internal delegate void FrameHandler(BenchSocket socket, in ServerFrame frame, long receivedAt);

/// <summary>
/// One WebSocket with one receive loop and a pooled buffer; the timestamp is taken as soon as a whole frame is in.
/// Requests that expect a reply by <c>id</c> (subscribe) wait on it; everything else goes to the handler. With
/// <c>signalR</c> it speaks SignalR's JSON hub protocol (handshake first; records ended by 0x1E, several per frame).
/// </summary>
internal sealed class BenchSocket : IAsyncDisposable
{
    private const string Subprotocol = "realtime.v1.json";
    private const byte RecordSeparator = 0x1E;
    private static readonly byte[] s_signalRHandshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ServerFrame>> _pending = new();
    private readonly TaskCompletionSource _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private long _nextId;

    private readonly bool _signalR;

    private BenchSocket(ClientWebSocket socket, FrameHandler? handler, object? state, bool signalR)
    {
        _socket = socket;
        _signalR = signalR;
        Handler = handler;
        State = state;
    }

    public FrameHandler? Handler { get; set; }

    /// <summary>What the scenario keeps per socket (its ledger, its room).</summary>
    public object? State { get; }

    public long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>
    /// Connects; for the product (<paramref name="token"/> set) also waits for the welcome frame, for SignalR for the
    /// handshake's answer.
    /// </summary>
    public static async Task<BenchSocket> ConnectAsync(Uri uri, string? token, FrameHandler? handler, object? state, CancellationToken cancellationToken, bool signalR = false)
    {
        var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.Zero;
        if (token is not null)
        {
            client.Options.AddSubProtocol(Subprotocol);
            client.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }
        var socket = new BenchSocket(client, handler, state, signalR);
        try
        {
            await client.ConnectAsync(uri, cancellationToken);
            socket._receiving = socket.ReceiveLoopAsync();
            if (signalR)
            {
                await socket.SendAsync(s_signalRHandshake, cancellationToken);
            }
            if (token is not null || signalR)
            {
                await socket._welcome.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
            return socket;
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Sends a request and waits for the frame answering its <paramref name="id"/> (ack or error).</summary>
    public async Task<ServerFrame> RequestAsync(long id, ReadOnlyMemory<byte> frame, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<ServerFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        try
        {
            await SendAsync(frame, cancellationToken);
            return await reply.Task.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// A graceful close: sends the close frame and waits (at most <paramref name="timeout"/>) for the server's, which
    /// the receive loop takes. The server answers once it has handled the close, so a storm of closes is paced by
    /// the server as a storm of subscribes is by their acks. Dispose afterwards.
    /// </summary>
    public async Task CloseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }
        await _receiving.WaitAsync(timeout, cancellationToken);
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var length = 0;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                length += result.Count;
                if (!result.EndOfMessage)
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    continue;
                }
                var receivedAt = Stopwatch.GetTimestamp();
                if (_signalR)
                {
                    DispatchRecords(buffer.AsSpan(0, length), receivedAt);
                }
                else
                {
                    Dispatch(ServerFrame.Parse(buffer.AsSpan(0, length)) with { Bytes = length }, receivedAt);
                }
                length = 0;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _welcome.TrySetException(new WebSocketException("closed before welcome"));
        }
    }

    private void DispatchRecords(ReadOnlySpan<byte> records, long receivedAt)
    {
        while (records.IndexOf(RecordSeparator) is var end and >= 0)
        {
            Dispatch(ServerFrame.ParseSignalR(records[..end]), receivedAt);
            records = records[(end + 1)..];
        }
    }

    private void Dispatch(in ServerFrame frame, long receivedAt)
    {
        if (frame.Type == FrameType.Welcome)
        {
            _welcome.TrySetResult();
            return;
        }
        if (frame.Type is FrameType.Ack or FrameType.Error && frame.Id != 0 && _pending.TryRemove(frame.Id, out var reply))
        {
            reply.TrySetResult(frame);
            return;
        }
        Handler?.Invoke(this, frame, receivedAt);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _stop.Dispose();
        _sendGate.Dispose();
    }
}
