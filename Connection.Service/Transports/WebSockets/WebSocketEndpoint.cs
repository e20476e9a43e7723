using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary><c>GET /connect/ws</c>, subprotocol <c>realtime.v1.json</c>.</summary>
public static class WebSocketEndpoint
{
    public const string SubProtocol = "realtime.v1.json";

    public static async Task<IResult> ConnectAsync(HttpContext context, TransportServices services)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem("This endpoint takes a WebSocket upgrade.", statusCode: StatusCodes.Status400BadRequest);
        }
        var requested = context.WebSockets.WebSocketRequestedProtocols;
        if (requested.Count > 0 && !requested.Contains(SubProtocol))
        {
            return TypedResults.Problem($"Supported subprotocol: {SubProtocol}.", statusCode: StatusCodes.Status400BadRequest);
        }

        var connection = new WebSocketConnection(RealtimeUser.From(context.User), services);
        if (!await services.TryAdmitAsync(context, connection))
        {
            return Results.Empty;
        }
        try
        {
            context.Response.Headers[TransportServices.ReplicaHeader] = services.Replica.Name;
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = requested.Count > 0 ? SubProtocol : null,
                KeepAliveInterval = services.Transport.KeepAliveInterval,
                KeepAliveTimeout = services.Transport.KeepAliveTimeout,
            });
            connection.TryEnqueue(ServerFrames.Welcome(connection.Id, services.Replica.Name, context.Request.Headers[TransportServices.EdgeAffinityHeader].FirstOrDefault()));
            var handler = new ClientFrameHandler(connection, services.Limits, services.Gate, services.Subscriber, services.Publisher, services.Metrics, services.Logger, services.Time);
            await connection.RunAsync(socket, handler);
        }
        finally
        {
            await services.ReleaseAsync(connection);
        }
        return Results.Empty;
    }

}
