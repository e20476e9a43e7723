namespace RealtimeAspire.Client;

/// <summary>A <c>presence</c> event: who joined and who left a channel since the last one.</summary>
public sealed record RealtimePresenceEvent(string Channel, IReadOnlyList<RealtimePresenceUser> Joined, IReadOnlyList<RealtimePresenceUser> Left);
