namespace RealtimeAspire.Testing;

public sealed class TestTopologyOptions
{
    /// <summary>Replaces PATH when the AppHost looks for infrastructure programs: an empty folder hides redis-server.</summary>
    public string? ToolSearchPath { get; init; }

    /// <summary>More configuration for the AppHost, as <c>key=value</c> (e.g. <c>Realtime:Replicas=1</c>).</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();

    /// <summary>Environment variables for one resource's processes, by resource name, applied after the AppHost's own.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Environment { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();
}
