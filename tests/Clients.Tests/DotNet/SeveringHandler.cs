namespace RealtimeAspire.Clients.Tests.DotNet;

/// <summary>
/// The network between a client and the edge, cut on demand: <see cref="Sever"/> breaks every open connect request
/// (an SSE stream's body, a held poll) as a dropped connection would and refuses new ones until <see cref="Restore"/>.
/// Publishes and the history API (other paths) pass, so a test can change the channel while the client is away.
/// </summary>
public sealed class SeveringHandler() : DelegatingHandler(new SocketsHttpHandler { UseCookies = false })
{
    private const string ConnectPrefix = "/connect/";
    private CancellationTokenSource _cut = new();
    private volatile bool _down;

    public void Sever()
    {
        _down = true;
        // Not disposed: a request racing the cut may still read its token.
        Interlocked.Exchange(ref _cut, new CancellationTokenSource()).Cancel();
    }

    public void Restore() => _down = false;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.RequestUri!.AbsolutePath.StartsWith(ConnectPrefix, StringComparison.Ordinal))
        {
            return await base.SendAsync(request, cancellationToken);
        }
        if (_down)
        {
            throw new HttpRequestException("The network is down (test).");
        }
        var cut = Volatile.Read(ref _cut).Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cut);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (cut.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException("The connection was reset (test).");
        }
        // A streamed body outlives SendAsync: it breaks on the cut too.
        var content = new StreamContent(new SeverableStream(await response.Content.ReadAsStreamAsync(cancellationToken), cut));
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        response.Content = content;
        return response;
    }

    private sealed class SeverableStream(Stream inner, CancellationToken cut) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cut);
            try
            {
                return await inner.ReadAsync(buffer, linked.Token);
            }
            catch (OperationCanceledException) when (cut.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new IOException("The connection was reset (test).");
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
