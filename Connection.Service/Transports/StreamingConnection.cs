using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;

namespace RealtimeAspire.ConnectionService.Transports;

/// <summary>
/// A connection that holds its socket or response for the client's whole stay and writes its queued frames itself
/// (WebSocket, SSE), unlike a long poll, which is one request answered by its endpoint. What both streaming transports
/// share: the runtime they run on, how a slow consumer is recorded, how long their end may take, and what a frame
/// sent records. It keeps one reference per connection, the runtime the transport used to keep itself.
/// </summary>
public abstract class StreamingConnection(string transport, RealtimeUser user, TransportRuntime runtime)
    : RealtimeConnection(transport, user, runtime.Limits)
{
    protected TransportRuntime Runtime { get; } = runtime;

    /// <summary>
    /// How long the end may take once the connection stops: <see cref="TransportOptions.CloseTimeout"/>, a slow
    /// consumer <see cref="TransportOptions.SlowConsumerCloseTimeout"/> (its end waits behind what is buffered to it).
    /// </summary>
    protected TimeSpan CloseTimeout => CloseReason == Protocol.CloseReason.SlowConsumer
        ? Runtime.Transport.SlowConsumerCloseTimeout
        : Runtime.Transport.CloseTimeout;

    protected sealed override void OnSlowConsumer()
    {
        Runtime.Metrics.SlowConsumerClosed(Transport);
        Runtime.Logger.SlowConsumer(Id, User.Id, QueuedFrames);
    }

    /// <summary>A frame went out to the client.</summary>
    protected void Sent(in OutboundFrame frame) => Runtime.MessageSent(Transport, frame);

    /// <summary>Logs why the server ended the connection, when it was the server.</summary>
    protected void LogClosedByServer()
    {
        if (CloseReason is { } reason)
        {
            Runtime.Logger.ClosedByServer(Id, reason.Status, reason.Reason);
        }
    }
}
