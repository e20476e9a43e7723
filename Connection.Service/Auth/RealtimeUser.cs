using System.Security.Claims;
using RealtimeAspire.Contracts.Auth;

namespace RealtimeAspire.ConnectionService.Auth;

/// <summary>The authenticated user of a connection, as the token describes it.</summary>
public sealed record RealtimeUser(string Id, string Name, ChannelPermissions Permissions)
{
    public static RealtimeUser From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue("sub") ?? principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("An authenticated principal without 'sub'.");
        var name = principal.FindFirstValue("name") ?? id;
        return new RealtimeUser(id, name, new ChannelPermissions(
            id,
            principal.FindAll(ChannelPermissions.SubscribeClaim).Select(c => c.Value),
            principal.FindAll(ChannelPermissions.PublishClaim).Select(c => c.Value)));
    }
}
