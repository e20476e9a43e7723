namespace RealtimeAspire.Testing;

public sealed class TestTopologyOptions
{
    /// <summary>Replaces PATH when the AppHost looks for infrastructure programs: an empty folder hides redis-server.</summary>
    public string? ToolSearchPath { get; init; }

    /// <summary>More configuration for the AppHost, as <c>key=value</c> (e.g. <c>ConnectionStrings:redis=…</c>).</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();
}
