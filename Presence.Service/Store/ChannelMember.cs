namespace RealtimeAspire.PresenceService.Store;

/// <summary>A user present in a channel: display name (from the token), connections across all replicas, present since.</summary>
public sealed record ChannelMember(string User, string Name, long Connections, DateTimeOffset Since);
