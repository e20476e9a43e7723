using System.Net.WebSockets;

namespace RealtimeAspire.ConnectionService.Diagnostics;

internal static partial class ConnectionLog
{
    [LoggerMessage(100, LogLevel.Debug, "Connection {ConnectionId} of {User} opened over {Transport}")]
    public static partial void Opened(this ILogger logger, string connectionId, string user, string transport);

    [LoggerMessage(101, LogLevel.Debug, "Connection {ConnectionId} closed")]
    public static partial void Closed(this ILogger logger, string connectionId);

    [LoggerMessage(102, LogLevel.Warning, "Connection {ConnectionId} of {User} closed as a slow consumer: {Queued} frames queued")]
    public static partial void SlowConsumer(this ILogger logger, string connectionId, string user, int queued);

    [LoggerMessage(103, LogLevel.Information, "Connection {ConnectionId} closed by the server: {Status} {Reason}")]
    public static partial void ClosedByServer(this ILogger logger, string connectionId, WebSocketCloseStatus status, string reason);

    [LoggerMessage(104, LogLevel.Debug, "Connection {ConnectionId}: refused frame, {Code}: {Message}")]
    public static partial void FrameRefused(this ILogger logger, string connectionId, string code, string message);

    [LoggerMessage(105, LogLevel.Error, "Publish to {Channel} failed after the message was sequenced as {Seq}")]
    public static partial void PublishFailed(this ILogger logger, string channel, long seq, Exception exception);

    [LoggerMessage(106, LogLevel.Warning, "History of {Channel} after {Since} is not available")]
    public static partial void HistoryUnavailable(this ILogger logger, string channel, long since, Exception? exception);

    [LoggerMessage(107, LogLevel.Information, "Drain started: {Connections} connections told to reconnect within {WindowSeconds} s")]
    public static partial void DrainStarted(this ILogger logger, int connections, double windowSeconds);

    [LoggerMessage(108, LogLevel.Information, "Drain window over: {Remaining} connections closed")]
    public static partial void DrainFinished(this ILogger logger, int remaining);

    [LoggerMessage(109, LogLevel.Warning, "Connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(this ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(111, LogLevel.Information, "Sequence of {Channel} recovered at {MaxSeq} (new channel: {NewChannel}; set by this replica: {Initialised})")]
    public static partial void SequenceRecovered(this ILogger logger, string channel, long maxSeq, bool newChannel, bool initialised);

    [LoggerMessage(110, LogLevel.Warning, "Subscription of {ConnectionId} to {Channel} saw a gap after {LastSeq}; catching up from history")]
    public static partial void Gap(this ILogger logger, string connectionId, string channel, long lastSeq);

    [LoggerMessage(113, LogLevel.Information, "Connection {ConnectionId} resumed {Channel} from {Requested}, ahead of its position {Current}: refused with position_ahead")]
    public static partial void PositionAhead(this ILogger logger, string connectionId, string channel, long requested, long current);

    [LoggerMessage(112, LogLevel.Warning, "A typing hint in {Channel} was dropped: Redis did not take it")]
    public static partial void TypingFailed(this ILogger logger, string channel, Exception exception);
}
