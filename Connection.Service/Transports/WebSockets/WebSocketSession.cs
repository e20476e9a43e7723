using System.Net.WebSockets;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.Publishing;
using RealtimeAspire.ConnectionService.Subscriptions;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary>
/// What follows the handshake, the same whichever path accepted the socket (<see cref="WebSocketEndpoint"/> or
/// <see cref="WebSocketConnectionAccept"/>): the <c>welcome</c> frame, then the connection's loops until it ends.
/// The caller owns the admission and releases it.
/// </summary>
public sealed class WebSocketSession(TransportRuntime runtime, ChannelGate gate, ChannelSubscriber subscriber, MessagePublisher publisher, ReplicaIdentity replica)
{
    public TimeSpan KeepAliveInterval => runtime.Transport.KeepAliveInterval;

    public TimeSpan KeepAliveTimeout => runtime.Transport.KeepAliveTimeout;

    public WebSocketConnection Create(Auth.RealtimeUser user) => new(user, runtime);

    /// <summary>The subprotocol the 101 names: ours when the client asked for any (a refusal is decided before).</summary>
    public static string? SubProtocolFor(int requestedCount) => requestedCount > 0 ? WebSocketEndpoint.SubProtocol : null;

    /// <summary>Welcome, then the loops; <paramref name="affinity"/> is the edge's affinity token (<see cref="RealtimeHeaders.EdgeAffinity"/>), handed back in the welcome.</summary>
    public Task RunAsync(WebSocketConnection connection, WebSocket socket, string? affinity)
    {
        connection.TryEnqueue(ServerFrames.Welcome(connection.Id, replica.Name, affinity));
        var handler = new ClientFrameHandler(connection, runtime.Limits, gate, subscriber, publisher, runtime.Metrics, runtime.Logger, runtime.Time);
        return connection.RunAsync(socket, handler);
    }
}
