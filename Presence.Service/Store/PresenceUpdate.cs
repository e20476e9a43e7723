namespace RealtimeAspire.PresenceService.Store;

/// <summary>
/// What one store update did: the user transitions it caused, the connection counts of users it added a connection
/// for, and — for reports from a replica — how long ago that replica's previous report arrived (null: first one).
/// </summary>
public sealed record PresenceUpdate(IReadOnlyList<PresenceTransition> Transitions, IReadOnlyList<long> ConnectionCounts, TimeSpan? SincePreviousReport)
{
    public static readonly PresenceUpdate None = new([], [], null);
}
