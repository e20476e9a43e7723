namespace RealtimeAspire.AppHost.Topology;

/// <summary>How long to wait before the n-th restart in a row: doubling from <see cref="Min"/>, capped at <see cref="Max"/>.</summary>
public sealed record RestartBackoff(TimeSpan Min, TimeSpan Max)
{
    public static RestartBackoff Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    /// <summary>A resource that stayed up this long counts as recovered: its next failure starts from <see cref="Min"/> again.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Delay(int attempt)
    {
        var doublings = Math.Clamp(attempt, 0, 30);
        var delay = Min.TotalMilliseconds * Math.Pow(2, doublings);
        return TimeSpan.FromMilliseconds(Math.Min(delay, Max.TotalMilliseconds));
    }
}
