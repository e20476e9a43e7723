using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.PresenceService.Configuration;

/// <summary>Section <c>Presence</c>: leases, event batching and API bounds.</summary>
public sealed class PresenceOptions : IValidatableObject
{
    public const string SectionName = "Presence";

    public static readonly TimeSpan DefaultReplicaTtl = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultEventWindow = TimeSpan.FromMilliseconds(150);
    public const int DefaultMembersLimit = 1000;
    public const int DefaultSummaryAboveMembers = 500;
    public static readonly TimeSpan DefaultSummaryWindow = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A Connection.Service replica's lease: every report renews it; a replica that sends nothing for this long
    /// is considered dead and all its members leave. Replicas refresh well within it (their default: every 10 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan ReplicaTtl { get; set; } = DefaultReplicaTtl;

    /// <summary>Presence events of one channel are collected for this long after the first and sent as one frame.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:05")] public TimeSpan EventWindow { get; set; } = DefaultEventWindow;

    /// <summary>How often lapsed replica leases are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")] public TimeSpan ExpiryScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most users one presence frame names (joined + left); a larger batch becomes several frames.</summary>
    [Range(1, 100_000)] public int MaxUsersPerFrame { get; set; } = 1000;

    /// <summary>
    /// A channel with more members than this gets summaries: each window's frame carries the member count and how many
    /// joined and left, and names nobody (the member list is the presence API's). Below it, frames name each user. So a
    /// storm of N joins into a large channel costs each subscriber one small frame per window, not N names.
    /// </summary>
    [Range(0, 100_000_000)] public int SummaryAboveMembers { get; set; } = DefaultSummaryAboveMembers;

    /// <summary>
    /// The window of a channel whose last frame was a summary: its subscribers get at most one presence frame per this
    /// long, so a join storm costs each of them storm length / this many frames, not one per <see cref="EventWindow"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")] public TimeSpan SummaryWindow { get; set; } = DefaultSummaryWindow;

    /// <summary>Members returned by <c>GET /api/channels/{channel}/presence</c> when <c>limit</c> is not given.</summary>
    [Range(1, 100_000)] public int MembersLimit { get; set; } = DefaultMembersLimit;

    /// <summary>Largest <c>limit</c> the presence API accepts.</summary>
    [Range(1, 1_000_000)] public int MaxMembersLimit { get; set; } = 10_000;

    /// <summary>
    /// Key prefix of every presence key in Redis; one hash tag, so a cluster keeps them in one slot (a script updates a
    /// channel's and a user's keys together, which a Redis Cluster allows only within one slot).
    /// </summary>
    [Required]
    [RegularExpression(@"^[^{]*\{[^}]+\}.*$", ErrorMessage = "Presence:KeyPrefix must contain a non-empty hash tag such as {{presence}} (e.g. rt:{{presence}}:): every presence key must share one Redis Cluster slot.")]
    public string KeyPrefix { get; set; } = "rt:{presence}:";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SummaryWindow < EventWindow)
        {
            yield return new ValidationResult(
                $"Presence:SummaryWindow ({SummaryWindow}) must be at least Presence:EventWindow ({EventWindow}): a large channel's window is never shorter than a small one's.",
                [nameof(SummaryWindow)]);
        }
    }
}
