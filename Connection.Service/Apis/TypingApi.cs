using Microsoft.AspNetCore.Http.HttpResults;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.Publishing;

namespace RealtimeAspire.ConnectionService.Apis;

/// <summary>
/// <c>POST /api/channels/{channel}/typing</c>, no body: the WebSocket <c>typing</c> frame for SSE and long-poll clients.
/// 204 whether the hint went out or was dropped as too soon (a hint is not acknowledged); refusals as ProblemDetails.
/// </summary>
public static class TypingApi
{
    public static IEndpointConventionBuilder MapTypingApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/api/channels/{channel}/typing", TypingAsync).RequireAuthorization();

    private static async Task<Results<NoContent, ProblemHttpResult>> TypingAsync(
        string channel, HttpContext context, ChannelGate gate, MessagePublisher publisher, HttpRefusals refusals)
    {
        var user = RealtimeUser.From(context.User);
        if (!gate.TryAdmit(user, channel, ChannelAction.Typing, 0, out var name, out var settings, out var refusal))
        {
            return refusals.Refuse(refusal.Code, refusal.Message);
        }
        await publisher.PublishTypingAsync(name, settings, user.Id);
        return TypedResults.NoContent();
    }
}
