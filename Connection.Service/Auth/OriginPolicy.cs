using Microsoft.Extensions.Options;

namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>
/// Browsers send <c>Origin</c> on WebSocket and EventSource requests, and neither is protected by CORS:
/// a page on another site could otherwise open a connection with the user's cookies. Non-browsers send none and pass.
/// </summary>
public sealed class OriginPolicy(IOptions<AuthOptions> options)
{
    private readonly HashSet<string> _allowed = new(options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0 || _allowed.Contains("*") || _allowed.Contains(origin) || IsSameOrigin(request, origin);
    }

    private static bool IsSameOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
