using Microsoft.Extensions.Options;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.Integrations.Auth;

namespace RealtimeAspire.ConnectionService.Apis;

/// <summary><c>POST /api/dev/token {"user":"alice"}</c> → <c>{"token":"…"}</c>. Mapped in Development only.</summary>
public static class DevTokenApi
{
    public sealed record DevTokenRequest(string? User, string? Name, string[]? Subscribe, string[]? Publish);

    public sealed record DevTokenResponse(string Token);

    public static IEndpointConventionBuilder MapDevTokenApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/api/dev/token", Issue);

    private static IResult Issue(DevTokenRequest request, ChannelTokenIssuer issuer, IOptions<DevTokenOptions> options)
    {
        if (string.IsNullOrWhiteSpace(request.User) || request.User.Length > 128 || request.User.Contains(':', StringComparison.Ordinal))
        {
            return TypedResults.Problem("'user' is required: 1-128 characters, no ':'.", statusCode: StatusCodes.Status400BadRequest);
        }
        // By default a development user may use every channel but other users' private ones.
        return TypedResults.Ok(new DevTokenResponse(issuer.Issue(request.User, request.Name, request.Subscribe ?? ["*"], request.Publish ?? ["*"], options.Value.DevTokenLifetime)));
    }
}
