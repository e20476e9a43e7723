using Confluent.Kafka;

namespace RealtimeAspire.MessageService.Consumers;

internal static partial class ConsumerLog
{
    [LoggerMessage(100, LogLevel.Information, "Consuming topic {Topic} in group {GroupId} from {BootstrapServers}.")]
    public static partial void Subscribed(ILogger logger, string topic, string groupId, string bootstrapServers);

    [LoggerMessage(101, LogLevel.Information, "Partitions assigned: {Partitions}.")]
    public static partial void Assigned(ILogger logger, string partitions);

    [LoggerMessage(102, LogLevel.Information, "Partitions revoked: {Partitions}.")]
    public static partial void Revoked(ILogger logger, string partitions);

    [LoggerMessage(103, LogLevel.Warning, "The database writer is behind: consumption paused on {Partitions} until it catches up.")]
    public static partial void Paused(ILogger logger, string partitions);

    [LoggerMessage(104, LogLevel.Information, "Consumption resumed on {Partitions}.")]
    public static partial void Resumed(ILogger logger, string partitions);

    [LoggerMessage(105, LogLevel.Warning, "Kafka client error {Code}: {Reason}.")]
    public static partial void KafkaError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(106, LogLevel.Error, "The Kafka consumer failed; it is rebuilt in {Delay}.")]
    public static partial void ConsumerFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(107, LogLevel.Warning, "Committing offsets {Offsets} failed; those messages will be delivered again (writes are idempotent).")]
    public static partial void CommitFailed(ILogger logger, Exception exception, string offsets);

    [LoggerMessage(108, LogLevel.Warning, "Writing a batch of {Count} message(s) failed (attempt {Attempt}); retrying in {Delay}.")]
    public static partial void WriteFailed(ILogger logger, Exception exception, int count, int attempt, TimeSpan delay);

    [LoggerMessage(109, LogLevel.Information, "Writing to PostgreSQL works again after {Attempts} attempt(s).")]
    public static partial void WriteRecovered(ILogger logger, int attempts);

    [LoggerMessage(110, LogLevel.Warning, "Message {Topic}[{Partition}]@{Offset} dead-lettered: {Reason}.")]
    public static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(111, LogLevel.Warning, "Message {MsgId} conflicts with the persisted message at {Channel}#{Seq} (persisted id {ExistingMsgId}); it is not stored.")]
    public static partial void Conflict(ILogger logger, string msgId, string channel, long seq, string? existingMsgId);

    [LoggerMessage(112, LogLevel.Error, "The database refuses message {Channel}#{Seq} ({SqlState}); it is dead-lettered.")]
    public static partial void Rejected(ILogger logger, Exception exception, string channel, long seq, string sqlState);

    [LoggerMessage(113, LogLevel.Error, "The message pipeline stopped unexpectedly.")]
    public static partial void PipelineFailed(ILogger logger, Exception exception);
}
