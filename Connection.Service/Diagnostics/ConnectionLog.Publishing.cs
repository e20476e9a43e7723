namespace RealtimeAspire.ConnectionService.Diagnostics;

/// <summary>The publish path: a publish that failed after sequencing, typing hints Redis did not take, recovered sequence counters.</summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(105, LogLevel.Error, "Publish to {Channel} failed after the message was sequenced as {Seq}")]
    public static partial void PublishFailed(this ILogger logger, string channel, long seq, Exception exception);

    [LoggerMessage(111, LogLevel.Information, "Sequence of {Channel} recovered at {MaxSeq} (new channel: {NewChannel}; set by this replica: {Initialised})")]
    public static partial void SequenceRecovered(this ILogger logger, string channel, long maxSeq, bool newChannel, bool initialised);

    [LoggerMessage(114, LogLevel.Debug, "Sequence of {Channel} already in Redis when its recovery began: nothing to claim")]
    public static partial void SequenceAlreadyRecovered(this ILogger logger, string channel);

    [LoggerMessage(116, LogLevel.Debug, "Batch claim of {Count} channel(s) answered: {New} new, {Known} known (claimed one by one)")]
    public static partial void ClaimBatchAnswered(this ILogger logger, int count, int @new, int known);

    [LoggerMessage(117, LogLevel.Warning, "Batch claim of {Count} channel(s) failed; their publishes are refused as retryable")]
    public static partial void ClaimBatchFailed(this ILogger logger, int count, Exception exception);

    [LoggerMessage(112, LogLevel.Warning, "A typing hint in {Channel} was dropped: Redis did not take it")]
    public static partial void TypingFailed(this ILogger logger, string channel, Exception exception);
}
