namespace RealtimeAspire.PresenceService.Diagnostics;

internal static partial class PresenceLog
{
    [LoggerMessage(200, LogLevel.Information, "Replica {Replica} missed its lease: {Members} presence transitions expired")]
    public static partial void ReplicaExpired(this ILogger logger, string replica, int members);

    [LoggerMessage(201, LogLevel.Warning, "Expiring lapsed replica leases failed")]
    public static partial void ExpiryFailed(this ILogger logger, Exception exception);

    [LoggerMessage(202, LogLevel.Warning, "Publishing presence events of {Channel} failed; members see the change on the next event or by asking the API")]
    public static partial void PublishFailed(this ILogger logger, string channel, Exception exception);

    [LoggerMessage(203, LogLevel.Information, "Replica {Replica} released its membership: {Transitions} transitions")]
    public static partial void ReplicaReleased(this ILogger logger, string replica, int transitions);

    [LoggerMessage(204, LogLevel.Debug, "Replica {Replica} refreshed {Members} members: {Transitions} transitions")]
    public static partial void Refreshed(this ILogger logger, string replica, int members, int transitions);
}
