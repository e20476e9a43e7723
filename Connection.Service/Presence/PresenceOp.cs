namespace RealtimeAspire.ConnectionService.Presence;

/// <summary>A change to report: <paramref name="Member"/> joined or left its channel.</summary>
public readonly record struct PresenceOp(bool Join, LocalMember Member);
