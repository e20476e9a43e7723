using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.ConnectionService.Presence;

/// <summary>Section <c>Presence</c>: how this replica reports its presence membership to Presence.Service.</summary>
public sealed class PresenceReportingOptions
{
    public const string SectionName = "Presence";

    /// <summary>Presence.Service through service discovery (<c>services:presence-service:http:0</c>).</summary>
    public const string ServiceUri = "http://presence-service";

    /// <summary>
    /// With no change to report for this long, an empty report is sent: the replica's heartbeat, which renews its lease
    /// (Presence.Service's <c>Presence:ReplicaTtl</c>, default 30 s: keep this well below it).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")] public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The whole membership is sent this often (and after any failed report): the repair of any lost report.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")] public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>After the first change, how long to collect more before sending them as one report.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")] public TimeSpan FlushDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Most changes in one report.</summary>
    [Range(1, 100_000)] public int MaxBatch { get; set; } = 2000;

    /// <summary>Changes waiting to be sent; when full, the next report is a full refresh instead (nothing is lost).</summary>
    [Range(16, 10_000_000)] public int QueueCapacity { get; set; } = 65_536;

    /// <summary>
    /// A long-poll client is present while it keeps polling: it stays present this long after a poll ends, so the
    /// gap to its next poll is not a leave.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")] public TimeSpan LongPollGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a stopping replica waits for Presence.Service to take its release.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")] public TimeSpan ReleaseTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
