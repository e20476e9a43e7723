using System.Buffers;
using System.IO.Pipelines;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary>
/// A Kestrel connection's transport pipes as the stream a WebSocket runs over (<see cref="WebSocketConnectionAccept"/>):
/// no HTTP upgrade stream, request or response body objects in between. A zero-byte read waits for data without
/// taking any (the receive loop's idle read holds no buffer); disposing (the WebSocket's abort) ends a pending read
/// and a pending flush, so neither loop stays behind a peer that is gone or does not read.
/// </summary>
public sealed class TransportStream(IDuplexPipe transport) : Stream
{
    private volatile bool _disposed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = await transport.Input.ReadAsync(cancellationToken);
        var data = result.Buffer;
        if (result.IsCanceled || _disposed)
        {
            transport.Input.AdvanceTo(data.Start);
            return 0;
        }
        var count = (int)Math.Min(buffer.Length, data.Length);
        data.Slice(0, count).CopyTo(buffer.Span);
        transport.Input.AdvanceTo(data.GetPosition(count));
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = await transport.Output.WriteAsync(buffer, cancellationToken);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("The WebSocket was aborted.");
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Every write is flushed (PipeWriter.WriteAsync).
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Asynchronous reads only.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Asynchronous writes only.");
    public override bool CanRead => !_disposed;
    public override bool CanWrite => !_disposed;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The pipes stay open: Kestrel completes them when the connection middleware returns.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            transport.Input.CancelPendingRead();
            transport.Output.CancelPendingFlush();
        }
        base.Dispose(disposing);
    }
}
