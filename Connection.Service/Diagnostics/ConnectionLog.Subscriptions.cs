namespace RealtimeAspire.ConnectionService.Diagnostics;

/// <summary>Subscriptions and resume: history that could not be read, live gaps, resume positions ahead of the channel.</summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(106, LogLevel.Warning, "History of {Channel} after {Since} is not available")]
    public static partial void HistoryUnavailable(this ILogger logger, string channel, long since, Exception? exception);

    [LoggerMessage(110, LogLevel.Warning, "Subscription of {ConnectionId} to {Channel} saw a gap after {LastSeq}; catching up from history")]
    public static partial void Gap(this ILogger logger, string connectionId, string channel, long lastSeq);

    [LoggerMessage(113, LogLevel.Information, "Connection {ConnectionId} resumed {Channel} from {Requested}, ahead of its position {Current}: refused with position_ahead")]
    public static partial void PositionAhead(this ILogger logger, string connectionId, string channel, long requested, long current);
}
