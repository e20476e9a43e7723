using System.Net.WebSockets;

namespace RealtimeAspire.ConnectionService.Diagnostics;

/// <summary>
/// The service's log events (EventIds 100-199), one file per area like SignalR's <c>XxxLog</c> partials. This one:
/// Connections and their transports: opened, closed, refused frames, slow consumers.
/// </summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(100, LogLevel.Debug, "Connection {ConnectionId} of {User} opened over {Transport}, accepted by the {AcceptPath}")]
    public static partial void Opened(this ILogger logger, string connectionId, string user, string transport, string acceptPath);

    [LoggerMessage(101, LogLevel.Debug, "Connection {ConnectionId} closed")]
    public static partial void Closed(this ILogger logger, string connectionId);

    [LoggerMessage(102, LogLevel.Warning, "Connection {ConnectionId} of {User} closed as a slow consumer: {Queued} frames queued")]
    public static partial void SlowConsumer(this ILogger logger, string connectionId, string user, int queued);

    [LoggerMessage(103, LogLevel.Information, "Connection {ConnectionId} closed by the server: {Status} {Reason}")]
    public static partial void ClosedByServer(this ILogger logger, string connectionId, WebSocketCloseStatus status, string reason);

    [LoggerMessage(104, LogLevel.Debug, "Connection {ConnectionId}: refused frame, {Code}: {Message}")]
    public static partial void FrameRefused(this ILogger logger, string connectionId, string code, string message);

    [LoggerMessage(109, LogLevel.Warning, "Connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(this ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(115, LogLevel.Debug, "Connection of {User} over {Transport} refused: the user holds {Limit} connections on this replica already")]
    public static partial void TooManyConnections(this ILogger logger, string user, string transport, int limit);
}
