namespace RealtimeAspire.PresenceService.Apis;

/// <summary>One connection in a channel, as a replica reports it. <c>Name</c> defaults to the user id.</summary>
public sealed record ReportedMember(string? Connection, string? Channel, string? User, string? Name);
