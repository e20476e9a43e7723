namespace RealtimeAspire.MessageService.Data;

/// <summary>
/// Table <c>channels</c>: per channel, the highest persisted sequence and how far the sequence is known to be
/// complete (every number up to <see cref="CheckedSeq"/> is persisted or recorded lost). Gap repair scans only
/// channels where <see cref="MaxSeq"/> is ahead of <see cref="CheckedSeq"/>.
/// </summary>
public sealed class ChannelState
{
    public required string Channel { get; set; }

    public long MaxSeq { get; set; }

    public long CheckedSeq { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
