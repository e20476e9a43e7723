using Microsoft.AspNetCore.Http.HttpResults;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Transports;

namespace RealtimeAspire.ConnectionService.Apis;

/// <summary>
/// <c>POST /api/channels/{channel}/typing</c>, no body: the WebSocket <c>typing</c> frame for SSE and long-poll clients.
/// 204 whether the hint went out or was dropped as too soon (a hint is not acknowledged); refusals as ProblemDetails.
/// </summary>
public static class TypingApi
{
    public static IEndpointConventionBuilder MapTypingApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/api/channels/{channel}/typing", TypingAsync).RequireAuthorization();

    private static async Task<Results<NoContent, ProblemHttpResult>> TypingAsync(string channel, HttpContext context, TransportServices services)
    {
        var user = RealtimeUser.From(context.User);
        if (!services.Gate.TryAdmit(user, channel, ChannelAction.Typing, 0, out var name, out var settings, out var refusal))
        {
            return services.Refuse(refusal.Code, refusal.Message);
        }
        await services.Publisher.PublishTypingAsync(name, settings, user.Id);
        return TypedResults.NoContent();
    }
}
