using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.MessageService.Configuration;

/// <summary>Section <c>MessageService:GapRepair</c>: finding and repairing holes in a channel's persisted sequence.</summary>
public sealed class GapRepairOptions : IValidatableObject
{
    public const string SectionName = "MessageService:GapRepair";

    /// <summary>
    /// How long a gap may stay open before it is repaired from Redis (or recorded lost). Out-of-order produces from
    /// several publishers close their gaps within the producer delivery timeout, so keep this above it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")] public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the persisted sequences are scanned for gaps.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")] public TimeSpan ScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Channels persisted to (or claimed) within this window also have their tail checked at every scan: Redis's
    /// counter against the persisted sequence, so that numbers handed out but never persisted (a broker that lost
    /// records, a produce that failed) are repaired even when no later message reveals the hole.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")] public TimeSpan TailWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a due tail waits for the consumer group to report it has caught up before it is repaired anyway. The
    /// report can stay out of reach (a broker that came back as a new cluster, a partition nobody writes to), and a
    /// repair that races a late record is harmless: the insert is idempotent, as for a hole.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan MaxTailDeferral { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most persisted sequence numbers read per channel per scan.</summary>
    [Range(10, 1_000_000)] public int MaxRowsPerChannelScan { get; set; } = 10_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A tail is due a grace period after Redis handed it out; its channel must still be checked by then.
        if (TailWindow <= GracePeriod)
        {
            yield return new ValidationResult($"{SectionName}:TailWindow must exceed {SectionName}:GracePeriod.", [nameof(TailWindow)]);
        }
    }
}
