using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.Demo.FeedPublisher;

/// <summary>Section <c>FeedPublisher</c>: what the demo's live feed panel shows (docs/clients.md, "Demo").</summary>
public sealed class FeedPublisherOptions
{
    public const string SectionName = "FeedPublisher";

    /// <summary>One ephemeral tick per interval on <see cref="TickChannel"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A durable price on <see cref="PriceChannel"/> every this many ticks.</summary>
    [Range(1, 10_000)]
    public int TicksPerPrice { get; set; } = 4;

    [Required, RegularExpression("^feed:[A-Za-z0-9_.-]+$")]
    public string PriceChannel { get; set; } = "feed:prices";

    [Required, RegularExpression("^live:[A-Za-z0-9_.-]+$")]
    public string TickChannel { get; set; } = "live:ticks";

    [MinLength(1)]
    public string[] Symbols { get; set; } = ["ACME", "GLOBX", "INITECH"];
}
