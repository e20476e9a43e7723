namespace RealtimeAspire.PresenceService.Store;

/// <summary>
/// A user became present in a channel (first connection, <see cref="Joined"/>) or absent (last connection gone).
/// The store reports each transition exactly once, to the one caller whose update caused it.
/// </summary>
public sealed record PresenceTransition(string Channel, string User, string Name, bool Joined);
