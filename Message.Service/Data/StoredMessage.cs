namespace RealtimeAspire.MessageService.Data;

/// <summary>One persisted message: table <c>messages</c>, primary key (channel, seq), message id unique.</summary>
public sealed class StoredMessage
{
    public const int MaxMsgIdLength = 128;
    public const int MaxSenderLength = 256;
    public const int MaxTraceParentLength = 128;

    public required string Channel { get; set; }

    public long Seq { get; set; }

    public required string MsgId { get; set; }

    /// <summary>The publishing user (<c>from</c> on the wire).</summary>
    public required string Sender { get; set; }

    /// <summary>Publish time, Unix milliseconds, as the publisher stamped it.</summary>
    public long Ts { get; set; }

    /// <summary>The publisher's JSON value, kept as text (column type <c>json</c>) so history returns it byte for byte.</summary>
    public required string Data { get; set; }

    public string? TraceParent { get; set; }

    /// <summary>True when the message was recovered from Redis history by gap repair instead of arriving through Kafka.</summary>
    public bool Repaired { get; set; }

    public DateTimeOffset PersistedAt { get; set; }
}
