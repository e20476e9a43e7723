namespace RealtimeAspire.MessageService.Data;

/// <summary>
/// Table <c>lost_messages</c>: a sequence number that stayed missing past the grace period and that Redis history no
/// longer held (a publisher died between Redis and Kafka, and the history was trimmed or expired before repair).
/// </summary>
public sealed class LostMessage
{
    public required string Channel { get; set; }

    public long Seq { get; set; }

    public DateTimeOffset DetectedAt { get; set; }
}
