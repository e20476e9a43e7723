namespace RealtimeAspire.Bench.Topology;

/// <summary>One resource of the AppHost's <c>resources.json</c> (AppHost/Topology/ResourceInventoryFile.cs).</summary>
internal sealed record ResourceRow(string Name, string ResourceType, string? State, string? Health, IReadOnlyList<string> Urls, int? Pid, int? LauncherPid);
