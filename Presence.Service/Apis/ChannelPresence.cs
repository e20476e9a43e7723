namespace RealtimeAspire.PresenceService.Apis;

/// <summary>The channel's members (up to <c>limit</c>) and how many there are in all.</summary>
public sealed record ChannelPresence(string Channel, long Count, IReadOnlyList<MemberView> Members);
