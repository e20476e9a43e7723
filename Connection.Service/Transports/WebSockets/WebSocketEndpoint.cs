using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.Publishing;
using RealtimeAspire.ConnectionService.Subscriptions;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary><c>GET /connect/ws</c>, subprotocol <c>realtime.v1.json</c>.</summary>
public static class WebSocketEndpoint
{
    public const string SubProtocol = "realtime.v1.json";

    public static async Task<IResult> ConnectAsync(HttpContext context, ConnectionAdmission admission, TransportRuntime runtime,
        ChannelGate gate, ChannelSubscriber subscriber, MessagePublisher publisher, ReplicaIdentity replica)
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

        var connection = new WebSocketConnection(RealtimeUser.From(context.User), runtime);
        if (!await admission.TryAdmitAsync(context, connection))
        {
            return Results.Empty;
        }
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = requested.Count > 0 ? SubProtocol : null,
                KeepAliveInterval = runtime.Transport.KeepAliveInterval,
                KeepAliveTimeout = runtime.Transport.KeepAliveTimeout,
            });
            connection.TryEnqueue(ServerFrames.Welcome(connection.Id, replica.Name, context.Request.Headers[RealtimeHeaders.EdgeAffinity].FirstOrDefault()));
            var handler = new ClientFrameHandler(connection, runtime.Limits, gate, subscriber, publisher, runtime.Metrics, runtime.Logger, runtime.Time);
            await connection.RunAsync(socket, handler);
        }
        finally
        {
            await admission.ReleaseAsync(connection);
        }
        return Results.Empty;
    }
}
