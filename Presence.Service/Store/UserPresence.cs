namespace RealtimeAspire.PresenceService.Store;

/// <summary>A user's presence: the channels they are in (empty: offline) and when they were last seen (null: never).</summary>
public sealed record UserPresence(string User, IReadOnlyList<string> Channels, DateTimeOffset? LastSeen)
{
    public bool Online => Channels.Count > 0;
}
