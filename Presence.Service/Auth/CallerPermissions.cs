using System.Security.Claims;
using RealtimeAspire.Contracts.Auth;

namespace RealtimeAspire.PresenceService.Auth;

/// <summary>The caller's channel rights from their token's claims, as Connection.Service reads them.</summary>
public static class CallerPermissions
{
    public static ChannelPermissions From(ClaimsPrincipal user) => new(
        user.FindFirstValue("sub") ?? "",
        user.FindAll(ChannelPermissions.SubscribeClaim).Select(c => c.Value),
        user.FindAll(ChannelPermissions.PublishClaim).Select(c => c.Value));
}
