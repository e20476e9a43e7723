using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary>
/// <c>GET /connect/ws</c>, subprotocol <c>realtime.v1.json</c>, in the HTTP pipeline: a terminal branch ahead of
/// authentication, authorization and endpoint routing. It answers every connect that
/// <see cref="WebSocketConnectionAccept"/> (the Kestrel connection middleware) leaves to the pipeline: each refusal,
/// a WebSocket upgrade after another request on a keep-alive connection, HTTP/2, TLS, the middleware turned off.
/// A WebSocket's request lives as long as the socket, and every middleware that awaits the next one stays suspended
/// with it, holding what it holds; the authentication handler alone keeps the whole principal (≈ 4 KB per idle
/// socket). Here the token is validated by <see cref="ConnectionTokenValidator"/> (the bearer scheme's own
/// parameters) and only the <see cref="RealtimeUser"/> is kept; refusals are the same as the endpoint's were (401
/// with <c>WWW-Authenticate: Bearer</c>, 400 and the admission's ProblemDetails).
/// </summary>
public sealed class WebSocketEndpoint(ConnectionTokenValidator tokens, ConnectionAdmission admission, TransportRuntime runtime, WebSocketSession session)
{
    public const string SubProtocol = "realtime.v1.json";
    public static readonly PathString Path = "/connect/ws";

    /// <summary>Branches <see cref="Path"/> off the pipeline here: register after <c>UseWebSockets</c>, before <c>UseAuthentication</c>.</summary>
    public static IApplicationBuilder UseWebSocketConnect(IApplicationBuilder app)
    {
        var endpoint = ActivatorUtilities.CreateInstance<WebSocketEndpoint>(app.ApplicationServices);
        return app.MapWhen(context => context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase),
            branch => branch.Run(endpoint.ConnectAsync));
    }

    public async Task ConnectAsync(HttpContext context)
    {
        var token = await tokens.ValidateAsync(context.Request);
        if (token.User is not { } user)
        {
            runtime.Metrics.AuthFailed(token.Failure!);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = token == ConnectionTokenResult.Missing ? "Bearer" : "Bearer error=\"invalid_token\"";
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem("This endpoint takes a WebSocket upgrade.", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }
        var requested = context.WebSockets.WebSocketRequestedProtocols;
        if (requested.Count > 0 && !requested.Contains(SubProtocol))
        {
            await TypedResults.Problem($"Supported subprotocol: {SubProtocol}.", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }

        var connection = session.Create(user);
        if (!await admission.TryAdmitAsync(context, connection))
        {
            return;
        }
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = WebSocketSession.SubProtocolFor(requested.Count),
                KeepAliveInterval = session.KeepAliveInterval,
                KeepAliveTimeout = session.KeepAliveTimeout,
            });
            var affinity = context.Request.Headers[RealtimeHeaders.EdgeAffinity].FirstOrDefault();
            UpgradedRequest.Release(context, connection.Id, Path);
            await session.RunAsync(connection, socket, affinity);
        }
        finally
        {
            await admission.ReleaseAsync(connection);
        }
    }
}
