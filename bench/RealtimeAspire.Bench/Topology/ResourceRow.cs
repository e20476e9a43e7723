namespace RealtimeAspire.Bench.Topology;

/// <summary>One row of the AppHost dashboard's <c>GET /api/resources</c>.</summary>
internal sealed record ResourceRow(string Name, string Resource, string State, string Health, IReadOnlyList<string> Endpoints, int? Pid);
