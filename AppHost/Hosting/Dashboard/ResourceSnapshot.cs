using RealtimeAspire.Hosting.Orchestration;
using RealtimeAspire.Hosting.Resources;

namespace RealtimeAspire.Hosting.Dashboard;

/// <summary>One row of <c>GET /api/resources</c>.</summary>
public sealed record ResourceSnapshot(
    string Name,
    string Resource,
    string Kind,
    ResourceState State,
    HealthState Health,
    IReadOnlyList<string> Endpoints,
    int? Pid,
    int Niceness,
    int Restarts,
    int? ExitCode,
    DateTimeOffset? StartedAt,
    string? Note)
{
    public static ResourceSnapshot From(ResourceInstance instance) => new(
        instance.Name,
        instance.Resource.Name,
        instance.Resource.Kind,
        instance.State,
        instance.Health,
        [.. instance.Endpoints.Select(e => e.ToString().TrimEnd('/'))],
        instance.ProcessId,
        instance.Resource.Niceness,
        instance.Restarts,
        instance.ExitCode,
        instance.StartedAt,
        (instance.Resource as KafkaResource)?.Note);
}
