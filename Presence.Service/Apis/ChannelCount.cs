namespace RealtimeAspire.PresenceService.Apis;

/// <summary><c>?countOnly=true</c>: how many users are in the channel.</summary>
public sealed record ChannelCount(string Channel, long Count);
