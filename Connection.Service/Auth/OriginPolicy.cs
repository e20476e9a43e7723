using Microsoft.Extensions.Options;

namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>
/// Browsers send <c>Origin</c> on WebSocket and EventSource requests, and neither is protected by CORS:
/// a page on another site could otherwise open a connection with the user's cookies. Same-origin requests and
/// those on the list shared with the edge (<c>Cors:AllowedOrigins</c>) pass; non-browsers send none and pass.
/// Same-origin is judged on the scheme and host the client used: behind the edge those come from its
/// <c>X-Forwarded-Proto</c>/<c>-Host</c>, applied to the request by the forwarded-headers middleware for trusted
/// peers only (<see cref="ForwardedHeadersSettings"/>), so a page served by the edge can connect.
/// </summary>
public sealed class OriginPolicy(IOptions<AllowedOriginsOptions> options)
{
    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || options.Value.IsAllowed(origin) || OriginRefusal.IsSameOrigin(origin, request.Scheme, request.Host.Value ?? "");
    }
}
