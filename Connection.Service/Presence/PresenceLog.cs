namespace RealtimeAspire.ConnectionService.Presence;

internal static partial class PresenceLog
{
    [LoggerMessage(400, LogLevel.Warning, "Presence report failed; the next report is a full refresh (attempt {Attempt})")]
    public static partial void ReportFailed(this ILogger logger, int attempt, Exception exception);

    [LoggerMessage(401, LogLevel.Warning, "Presence changes overflowed the report queue; sending a full refresh")]
    public static partial void Overflowed(this ILogger logger);

    [LoggerMessage(402, LogLevel.Warning, "Releasing this replica's presence at shutdown failed; its members leave when its lease lapses")]
    public static partial void ReleaseFailed(this ILogger logger, Exception exception);
}
