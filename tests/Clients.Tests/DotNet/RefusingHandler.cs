namespace RealtimeAspire.Clients.Tests.DotNet;

/// <summary>An HTTP handler that refuses requests whose path starts with a prefix, as a proxy that breaks SSE would.</summary>
public sealed class RefusingHandler(string refusedPathPrefix) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.RequestUri!.AbsolutePath.StartsWith(refusedPathPrefix, StringComparison.Ordinal)
            ? throw new HttpRequestException($"{refusedPathPrefix} is blocked by the test")
            : base.SendAsync(request, cancellationToken);
}
