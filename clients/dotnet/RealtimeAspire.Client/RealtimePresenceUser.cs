namespace RealtimeAspire.Client;

/// <summary>A user in a presence event: the token's <c>sub</c> and display <c>name</c>.</summary>
public sealed record RealtimePresenceUser(string User, string Name);
