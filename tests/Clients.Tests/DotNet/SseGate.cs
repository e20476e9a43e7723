namespace RealtimeAspire.Clients.Tests.DotNet;

/// <summary>
/// The network for an SSE-or-long-polling client: <c>GET /connect/sse</c> is refused while blocked (as a buffering
/// proxy breaks it), and the first SSE stream that opens with a given channel after <see cref="OnceOpening"/> first
/// runs the test's action (awaited, before the request goes out): a race point of the stream's open, without sleeps.
/// </summary>
public sealed class SseGate() : DelegatingHandler(new SocketsHttpHandler { UseCookies = false })
{
    private volatile bool _blocked = true;
    private string? _channel;
    private Func<Task>? _action;

    public bool Blocked => _blocked;

    public void Block() => _blocked = true;

    public void Unblock() => _blocked = false;

    public void OnceOpening(string channel, Func<Task> action)
    {
        _channel = channel;
        Volatile.Write(ref _action, action);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        if (uri.AbsolutePath.StartsWith("/connect/sse", StringComparison.Ordinal))
        {
            if (_blocked)
            {
                throw new HttpRequestException("SSE is blocked by the test");
            }
            if (_channel is { } channel && Uri.UnescapeDataString(uri.Query).Contains(channel, StringComparison.Ordinal)
                && Interlocked.Exchange(ref _action, null) is { } action)
            {
                await action();
            }
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
