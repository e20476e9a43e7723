namespace RealtimeAspire.PresenceService.Apis;

/// <summary><c>POST /internal/presence/refresh</c>: the replica's whole membership (heartbeat and repair).</summary>
public sealed record RefreshReport(string? Replica, IReadOnlyList<ReportedMember>? Members);
