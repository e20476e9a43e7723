namespace RealtimeAspire.PresenceService.Apis;

/// <summary><c>POST /internal/presence/changes</c>: joins and leaves, in the order they happened.</summary>
public sealed record ChangesReport(string? Replica, IReadOnlyList<ReportedChange>? Changes);
