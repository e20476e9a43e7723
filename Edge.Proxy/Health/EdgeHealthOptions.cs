using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.EdgeProxy.Health;

/// <summary>
/// How fast a replica leaves and re-enters rotation: <c>Edge:Health</c>. With the defaults a replica that is
/// gone or draining (its <c>/health</c> answers 503) is out within Interval × ConsecutiveFailures ≈ 2 s; a refused
/// connection takes it out at once for <see cref="ReactivationPeriod"/>.
/// </summary>
public sealed class EdgeHealthOptions
{
    public const string SectionName = "Edge:Health";

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultReactivationPeriod = TimeSpan.FromSeconds(5);

    /// <summary>Active probe period per replica (readiness endpoint <c>/health</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>A probe slower than this fails.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Failed probes in a row that take a replica out; one success brings it back.</summary>
    [Range(1, 100)]
    public int ConsecutiveFailures { get; set; } = 2;

    /// <summary>How long a replica that refused a connection stays out before it is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ReactivationPeriod { get; set; } = DefaultReactivationPeriod;
}
