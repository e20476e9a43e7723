namespace RealtimeAspire.ConnectionService.Drain;

/// <summary>Section <c>Drain</c>.</summary>
public sealed class DrainOptions
{
    public const string SectionName = "Drain";

    /// <summary>Clients are told to reconnect at random moments over this window (no thundering herd); the rest are closed at its end.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
