using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using RealtimeAspire.Contracts.Auth;

namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>
/// The authenticated user of a connection, as the token describes it: the only part of the token a connection keeps
/// (not the principal, its claims or the token itself, which would cost each idle connection kilobytes).
/// </summary>
public sealed record RealtimeUser(string Id, string Name, ChannelPermissions Permissions)
{
    public static RealtimeUser From(ClaimsPrincipal principal) =>
        From(principal.Claims, principal.FindFirstValue(ClaimTypes.NameIdentifier));

    /// <summary>From a validated token, without building a principal (the WebSocket transport's path).</summary>
    public static RealtimeUser From(JsonWebToken token) => From(token.Claims, fallbackId: null);

    private static RealtimeUser From(IEnumerable<Claim> claims, string? fallbackId)
    {
        string? id = null, name = null;
        List<string> subscribe = [], publish = [];
        foreach (var claim in claims)
        {
            switch (claim.Type)
            {
                case "sub":
                    id ??= claim.Value;
                    break;
                case "name":
                    name ??= claim.Value;
                    break;
                case ChannelPermissions.SubscribeClaim:
                    subscribe.Add(claim.Value);
                    break;
                case ChannelPermissions.PublishClaim:
                    publish.Add(claim.Value);
                    break;
            }
        }
        id ??= fallbackId ?? throw new InvalidOperationException("An authenticated principal without 'sub'.");
        return new RealtimeUser(id, name ?? id, new ChannelPermissions(id, subscribe, publish));
    }
}
