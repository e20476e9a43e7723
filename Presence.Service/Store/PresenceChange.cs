namespace RealtimeAspire.PresenceService.Store;

/// <summary>A replica's report that a connection joined (<see cref="Join"/>) or left a channel.</summary>
public sealed record PresenceChange(bool Join, PresenceEntry Entry);
