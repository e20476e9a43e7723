namespace RealtimeAspire.PresenceService.Apis;

/// <summary>A change: <c>op</c> is <c>join</c> or <c>leave</c>.</summary>
public sealed record ReportedChange(string? Op, string? Connection, string? Channel, string? User, string? Name);
