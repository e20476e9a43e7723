namespace RealtimeAspire.PresenceService.Apis;

public sealed record MemberView(string User, string Name, long Connections, DateTimeOffset Since);
