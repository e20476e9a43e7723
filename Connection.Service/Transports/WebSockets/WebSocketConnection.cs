using System.Buffers;
using System.Net.WebSockets;
using System.Text.Unicode;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary>
/// One WebSocket: a receive loop and a send loop. When either ends, the other is stopped, the close handshake
/// gets <see cref="TransportOptions.CloseTimeout"/> (a slow consumer <see cref="TransportOptions.SlowConsumerCloseTimeout"/>:
/// its close frame is behind everything already buffered on the way to it), then the socket is aborted. Reads start with a zero-byte read
/// so an idle connection holds no buffer; buffers come from <see cref="ArrayPool{T}"/>.
/// </summary>
public sealed class WebSocketConnection(RealtimeUser user, TransportRuntime runtime)
    : StreamingConnection(TransportNames.WebSocket, user, runtime)
{
    private const int InitialBufferBytes = 4096;

    public async Task RunAsync(WebSocket socket, ClientFrameHandler handler)
    {
        // Socket operations never take a cancellation token: cancelling one aborts the socket, and a close handshake
        // must still be possible. Ending the connection is the close itself, with Abort as the bounded fallback.
        var sending = SendLoopAsync(socket);
        var receiving = ReceiveLoopAsync(socket, handler);
        var closing = Task.Delay(Timeout.Infinite, Closing);
        await Task.WhenAny(sending, receiving, closing);

        using var closeTimeout = new CancellationTokenSource(CloseTimeout);
        if (CloseReason is null)
        {
            // The client closed or broke the connection: no new frames; let acks of publishes in flight go out.
            try
            {
                await handler.DrainPublishesAsync(closeTimeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
            CompleteOutbound();
            await AwaitQuietly(sending, closeTimeout.Token);
        }
        else if (CloseReason != Protocol.CloseReason.SlowConsumer)
        {
            // Closed by the server: what is queued (the error that explains the close) goes out first.
            await AwaitQuietly(sending, closeTimeout.Token);
        }
        else
        {
            // A slow consumer's backlog is not sent (the send loop stops after the frame in flight): its close frame
            // follows at once, and the client resumes from its last position on reconnect.
            DiscardQueued();
        }
        var reason = CloseReason ?? Protocol.CloseReason.Normal;
        LogClosedByServer();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                // Waits behind a send in progress: a slow consumer gets its close once it reads what is in flight.
                await socket.CloseOutputAsync(reason.Status, reason.Reason, closeTimeout.Token);
            }
            // The peer answers with its own close: read (and drop) until it arrives, so the handshake completes.
            if (receiving.IsCompleted)
            {
                await DiscardUntilCloseAsync(socket, closeTimeout.Token);
            }
            else
            {
                await receiving.WaitAsync(closeTimeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            Close(reason);
            socket.Abort();
            await AwaitQuietly(sending, CancellationToken.None);
        }
    }

    private static async Task DiscardUntilCloseAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(scratch.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private async Task SendLoopAsync(WebSocket socket)
    {
        var reader = Outbound;
        try
        {
            // Ends when the queue is completed (by a close) and drained, or when the socket fails.
            while (await reader.WaitToReadAsync(CancellationToken.None) && CloseReason != Protocol.CloseReason.SlowConsumer)
            {
                while (CloseReason != Protocol.CloseReason.SlowConsumer && reader.TryRead(out var frame))
                {
                    await socket.SendAsync(frame.Json, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    Sent(frame);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveLoopAsync(WebSocket socket, ClientFrameHandler handler)
    {
        var frameBucket = new TokenBucket(Runtime.Limits.FramesPerSecond, Runtime.Limits.FrameBurst, Runtime.Time);
        var refusedInARow = 0;
        try
        {
            while (!Closing.IsCancellationRequested)
            {
                // Wait for the next message without holding a buffer.
                var peek = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (peek.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
                try
                {
                    var (type, length) = await ReadMessageAsync(socket, buffer, b => buffer = b);
                    if (type == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    if (length < 0)
                    {
                        Close(Protocol.CloseReason.MessageTooBig);
                        return;
                    }
                    var message = buffer.AsMemory(0, length);
                    if (type == WebSocketMessageType.Binary)
                    {
                        handler.Refuse(null, ErrorCodes.BinaryNotSupported, "Subprotocol realtime.v1.json carries JSON in text frames only.");
                        continue;
                    }
                    if (!Utf8.IsValid(message.Span))
                    {
                        Close(Protocol.CloseReason.InvalidUtf8);
                        return;
                    }
                    if (!frameBucket.TryTake())
                    {
                        handler.Refuse(null, ErrorCodes.RateLimited, $"Over {Runtime.Limits.FramesPerSecond} frames per second.");
                        if (++refusedInARow >= Runtime.Limits.MaxRefusedFramesInARow)
                        {
                            Close(Protocol.CloseReason.RateLimited);
                            return;
                        }
                        continue;
                    }
                    if (!ClientFrame.TryParse(message.Span, out var frame, out var error, out var id))
                    {
                        handler.Refuse(id, ErrorCodes.BadJson, error!);
                        continue;
                    }
                    refusedInARow = 0;
                    await handler.HandleAsync(frame!);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (WebSocketException ex) when (ex.WebSocketErrorCode == WebSocketError.Faulted || socket.State == WebSocketState.Aborted)
        {
        }
        catch (WebSocketException)
        {
            // Invalid payload (e.g. bad UTF-8 caught by the socket itself): the socket has already sent its close.
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Reads one whole message, growing the pooled buffer up to the limit; length -1 when over it.</summary>
    private async Task<(WebSocketMessageType Type, int Length)> ReadMessageAsync(WebSocket socket, byte[] buffer, Action<byte[]> replaced)
    {
        var max = Runtime.Limits.MaxFrameBytes;
        var count = 0;
        while (true)
        {
            if (count == buffer.Length)
            {
                if (buffer.Length > max)
                {
                    return (WebSocketMessageType.Text, -1);
                }
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max + 1));
                buffer.AsSpan(0, count).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
                replaced(buffer);
            }
            var result = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, 0);
            }
            count += result.Count;
            if (count > max)
            {
                return (result.MessageType, -1);
            }
            if (result.EndOfMessage)
            {
                return (result.MessageType, count);
            }
        }
    }

    private static async Task AwaitQuietly(Task task, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
