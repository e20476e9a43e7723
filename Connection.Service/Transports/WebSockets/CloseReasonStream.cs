using Microsoft.AspNetCore.Http.Features;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary>
/// The upgraded stream under a server WebSocket, passing everything through but one frame. The runtime's WebSocket
/// validates the UTF-8 of text frames itself and, on invalid data, closes with 1007 and an <b>empty</b> reason before
/// our receive loop sees the frame — so our documented reason (<see cref="CloseReason.InvalidUtf8"/>) never went out.
/// That close frame is written alone, in one write of exactly four bytes (server frames are unmasked:
/// FIN+close, length 2, status 1007), so it is recognised exactly and replaced by the same close with the reason.
/// No other frame can be those four bytes in one write: every write holds a whole frame, header and payload.
/// </summary>
public sealed class CloseReasonStream(Stream inner) : Stream
{
    private static readonly byte[] s_bareInvalidPayloadClose = [0x88, 0x02, 0x03, 0xEF];
    private static readonly byte[] s_invalidUtf8Close = BuildClose(CloseReason.InvalidUtf8);

    /// <summary>Wraps the upgraded stream of WebSocket requests: register before <c>UseWebSockets</c>.</summary>
    public static IApplicationBuilder UseWebSocketCloseReasons(IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            context.Features.Set<IHttpUpgradeFeature>(new UpgradeFeature(upgrade));
        }
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            context.Features.Set<IHttpExtendedConnectFeature>(new ExtendedConnectFeature(connect));
        }
        return next(context);
    });

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(Replace(buffer), cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(Replace(buffer.AsMemory(offset, count)).Span);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.SequenceEqual(s_bareInvalidPayloadClose))
        {
            inner.Write(s_invalidUtf8Close);
            return;
        }
        inner.Write(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override void Flush() => inner.Flush();
    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    private static ReadOnlyMemory<byte> Replace(ReadOnlyMemory<byte> buffer) =>
        buffer.Span.SequenceEqual(s_bareInvalidPayloadClose) ? s_invalidUtf8Close : buffer;

    private static byte[] BuildClose(CloseReason reason)
    {
        var text = System.Text.Encoding.UTF8.GetBytes(reason.Reason);
        var status = (int)reason.Status;
        return [0x88, (byte)(2 + text.Length), (byte)(status >> 8), (byte)status, .. text];
    }

    private sealed class UpgradeFeature(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync() => new CloseReasonStream(await inner.UpgradeAsync());
    }

    private sealed class ExtendedConnectFeature(IHttpExtendedConnectFeature inner) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => inner.IsExtendedConnect;

        public string? Protocol => inner.Protocol;

        public async ValueTask<Stream> AcceptAsync() => new CloseReasonStream(await inner.AcceptAsync());
    }
}
