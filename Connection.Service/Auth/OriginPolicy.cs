using Microsoft.Extensions.Options;

namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>
/// Browsers send <c>Origin</c> on WebSocket and EventSource requests, and neither is protected by CORS:
/// a page on another site could otherwise open a connection with the user's cookies. Same-origin requests and
/// those on the list shared with the edge (<c>Cors:AllowedOrigins</c>) pass; non-browsers send none and pass.
/// </summary>
public sealed class OriginPolicy(IOptions<AllowedOriginsOptions> options)
{
    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || options.Value.IsAllowed(origin) || IsSameOrigin(request, origin);
    }

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
