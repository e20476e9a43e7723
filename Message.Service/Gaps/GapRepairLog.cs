namespace RealtimeAspire.MessageService.Gaps;

internal static partial class GapRepairLog
{
    [LoggerMessage(200, LogLevel.Warning, "Channel {Channel}: sequence {Gap} missing for longer than the grace period; repairing from Redis history.")]
    public static partial void Overdue(ILogger logger, string channel, string gap);

    [LoggerMessage(201, LogLevel.Information, "Channel {Channel}: repaired {Count} message(s) of gap {Gap} from Redis history.")]
    public static partial void Repaired(ILogger logger, string channel, int count, string gap);

    [LoggerMessage(202, LogLevel.Error, "Channel {Channel}: {Count} message(s) of gap {Gap} are lost (no longer in Redis history): {Seqs}.")]
    public static partial void Lost(ILogger logger, string channel, int count, string gap, string seqs);

    [LoggerMessage(203, LogLevel.Warning, "Gap scan failed; retrying at the next interval.")]
    public static partial void ScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(205, LogLevel.Warning, "Channel {Channel}: sequence {Gap} handed out by Redis (counter {Counter}) but not persisted for longer than the grace period, with no later message persisted; repairing the tail from Redis history.")]
    public static partial void TailOverdue(ILogger logger, string channel, string gap, long counter);

    [LoggerMessage(206, LogLevel.Debug, "Tail repair of {Count} channel(s) deferred: the consumer group has not consumed up to the topic's end yet, so the missing numbers may still be in Kafka.")]
    public static partial void TailDeferred(ILogger logger, int count);

    [LoggerMessage(207, LogLevel.Warning, "Tail repair of {Count} channel(s) no longer deferred: the consumer group has not reported catching up for {Seconds} s (MessageService:GapRepair:MaxTailDeferral); repairing from Redis history anyway.")]
    public static partial void TailDeferralExpired(ILogger logger, int count, double seconds);

    [LoggerMessage(204, LogLevel.Warning, "Channel {Channel}: repaired message {MsgId} conflicts with the persisted message at #{Seq}.")]
    public static partial void Conflict(ILogger logger, string channel, string msgId, long seq);
}
