namespace RealtimeAspire.PresenceService.Store;

/// <summary>
/// One connection of one user in one channel, as a Connection.Service replica holds it. <see cref="Connection"/> is
/// unique within its replica (a long-poll client has one stable key per user, not one per poll).
/// </summary>
public sealed record PresenceEntry(string Connection, string Channel, string User, string Name);
