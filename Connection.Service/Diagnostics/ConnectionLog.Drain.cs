namespace RealtimeAspire.ConnectionService.Diagnostics;

/// <summary>Graceful drain.</summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(107, LogLevel.Information, "Drain started: {Connections} connections told to reconnect within {WindowSeconds} s")]
    public static partial void DrainStarted(this ILogger logger, int connections, double windowSeconds);

    [LoggerMessage(108, LogLevel.Information, "Drain window over: {Remaining} connections closed")]
    public static partial void DrainFinished(this ILogger logger, int remaining);
}
