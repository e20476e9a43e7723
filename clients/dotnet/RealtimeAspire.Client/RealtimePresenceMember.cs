namespace RealtimeAspire.Client;

/// <summary>A member of a channel: a user with <see cref="Connections"/> connections subscribed to it, on any replica, since <see cref="Since"/>.</summary>
public sealed record RealtimePresenceMember(string User, string Name, int Connections, DateTimeOffset Since);
