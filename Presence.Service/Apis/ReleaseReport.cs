namespace RealtimeAspire.PresenceService.Apis;

/// <summary><c>POST /internal/presence/release</c>: the replica is stopping; its members leave now.</summary>
public sealed record ReleaseReport(string? Replica);
