using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.MessageService.Configuration;

/// <summary>Section <c>MessageService:Consumer</c>: the Kafka → PostgreSQL pipeline.</summary>
public sealed class ConsumerOptions
{
    public const string SectionName = "MessageService:Consumer";

    /// <summary>Consumer group: every Message.Service instance joins it and gets a share of the partitions.</summary>
    [Required] public string GroupId { get; set; } = "message-service";

    /// <summary>
    /// How long the group waits for a silent member before giving its partitions to the others: after a crash, this
    /// bounds how long the crashed instance's partitions stand still. Brokers accept 6 s to 5 min by default.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")] public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most messages written in one PostgreSQL transaction.</summary>
    [Range(1, 50_000)] public int MaxBatchSize { get; set; } = 500;

    /// <summary>Messages buffered between the consuming thread and the database writer (the bounded hand-off).</summary>
    [Range(1, 1_000_000)] public int BufferCapacity { get; set; } = 2_000;

    /// <summary>First wait before retrying a failed database write; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")] public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")] public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the hand-off may stay full before the consumer pauses its partitions (a stalled database).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")] public TimeSpan PauseAfterFullFor { get; set; } = TimeSpan.FromMilliseconds(200);
}
