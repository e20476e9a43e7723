using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using RealtimeAspire.Integrations.Auth;

namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>
/// Validates a connect request's token with the bearer scheme's own parameters (key, issuer, audience, algorithm,
/// lifetime and clock skew: <see cref="ChannelAuthentication"/>) and keeps only the <see cref="RealtimeUser"/>.
/// The WebSocket transport uses it instead of the authentication middleware, whose handler caches the whole
/// principal (claims, their property tables, the parsed token) for as long as the request lives — for a WebSocket,
/// the connection's whole life, ≈ 4 KB per idle socket (docs/benchmarks.md).
/// </summary>
public sealed class ConnectionTokenValidator(IOptionsMonitor<JwtBearerOptions> bearer)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async ValueTask<ConnectionTokenResult> ValidateAsync(HttpRequest request)
    {
        var token = TokenOf(request);
        if (string.IsNullOrEmpty(token))
        {
            return ConnectionTokenResult.Missing;
        }
        var parameters = bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt || jwt.Subject is not { Length: > 0 })
        {
            return ConnectionTokenResult.Invalid;
        }
        return new ConnectionTokenResult(RealtimeUser.From(jwt), null);
    }

    /// <summary>As the bearer scheme reads it: the <c>access_token</c> query parameter (its message-received event), else <c>Authorization: Bearer …</c>.</summary>
    private static string? TokenOf(HttpRequest request)
    {
        if (request.Query.TryGetValue(ChannelAuthentication.AccessTokenQuery, out var query) && query.ToString() is { Length: > 0 } fromQuery)
        {
            return fromQuery;
        }
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
