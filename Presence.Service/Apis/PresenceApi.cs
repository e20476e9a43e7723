using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Auth;
using RealtimeAspire.PresenceService.Configuration;
using RealtimeAspire.PresenceService.Store;

namespace RealtimeAspire.PresenceService.Apis;

/// <summary>
/// <c>GET /api/channels/{channel}/presence[?countOnly=true][&amp;limit=]</c> and <c>GET /api/users/{id}/status</c>.
/// A token is required; a channel's presence needs the right to subscribe to it, and a user's status names only
/// the channels the caller may subscribe to.
/// </summary>
public static class PresenceApi
{
    public const int MaxUserIdLength = 128;

    public static RouteGroupBuilder MapPresenceApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").RequireAuthorization().WithTags("Presence");
        group.MapGet("/channels/{channel}/presence", GetChannelPresenceAsync).WithName("GetChannelPresence");
        group.MapGet("/users/{id}/status", GetUserStatusAsync).WithName("GetUserStatus");
        return group;
    }

    public static async Task<Results<Ok<ChannelCount>, Ok<ChannelPresence>, ValidationProblem, ProblemHttpResult>> GetChannelPresenceAsync(
        string channel,
        string? countOnly,
        string? limit,
        ClaimsPrincipal user,
        IPresenceStore store,
        IOptions<PresenceOptions> options,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var errors = new Dictionary<string, string[]>();
        if (!ChannelName.TryParse(channel, out var channelName))
        {
            errors["channel"] = [ChannelName.InvalidMessage];
        }
        var onlyCount = false;
        if (countOnly is not null && !bool.TryParse(countOnly, out onlyCount))
        {
            errors["countOnly"] = ["true or false."];
        }
        var take = settings.MembersLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > settings.MaxMembersLimit))
        {
            errors["limit"] = [$"An integer from 1 to {settings.MaxMembersLimit}."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        if (!ChannelPermissions.FromClaims(user).CanSubscribe(channelName))
        {
            return Forbidden($"The token does not allow subscribing to '{channelName}', so neither seeing its presence.");
        }

        var count = await store.CountAsync(channelName.Value, cancellationToken);
        if (onlyCount)
        {
            return TypedResults.Ok(new ChannelCount(channelName.Value, count));
        }
        var members = await store.MembersAsync(channelName.Value, take, cancellationToken);
        return TypedResults.Ok(new ChannelPresence(channelName.Value, count,
            [.. members.Select(m => new MemberView(m.User, m.Name, m.Connections, m.Since))]));
    }

    public static async Task<Results<Ok<UserStatus>, ValidationProblem>> GetUserStatusAsync(
        string id,
        ClaimsPrincipal user,
        IPresenceStore store,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxUserIdLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"A user id: 1-{MaxUserIdLength} characters."] });
        }
        var caller = ChannelPermissions.FromClaims(user);
        var presence = await store.UserAsync(id, cancellationToken);
        string[] visible = [.. presence.Channels
            .Where(c => ChannelName.TryParse(c, out var name) && caller.CanSubscribe(name))
            .Order(StringComparer.Ordinal)];
        // While online the user is being seen now; offline, the moment their last connection left.
        var lastSeen = presence.Online ? time.GetUtcNow() : presence.LastSeen;
        return TypedResults.Ok(new UserStatus(id, presence.Online, visible, lastSeen));
    }

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "forbidden");
}
