namespace RealtimeAspire.PresenceService.Apis;

/// <summary>A user's status: online, the channels they are in that the caller may see, last seen.</summary>
public sealed record UserStatus(string User, bool Online, IReadOnlyList<string> Channels, DateTimeOffset? LastSeen);
