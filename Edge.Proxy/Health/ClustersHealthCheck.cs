using Microsoft.Extensions.Diagnostics.HealthChecks;
using RealtimeAspire.EdgeProxy.Routing;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace RealtimeAspire.EdgeProxy.Health;

/// <summary>
/// The edge's own readiness, from its clusters' active health. Without a healthy Connection.Service replica the edge
/// can serve nothing realtime: Unhealthy (503). Without Message.Service or Presence.Service it still serves every
/// connection, subscription and publish, and only the history or presence queries are refused: Degraded (200).
/// Every edge instance sees the same services, and the edge is the only public entry point, so a readiness probe
/// that took it out over a history outage would end every connection with it (docs/edge.md, "Health and drain").
/// </summary>
public sealed class ClustersHealthCheck(IProxyStateLookup proxy) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Classify(proxy.GetClusters()
            .Where(cluster => !cluster.Destinations.Values.Any(d => d.Health.Active == DestinationHealth.Healthy))
            .Select(cluster => cluster.ClusterId)
            .ToArray()));

    /// <summary>The readiness for the clusters that have no replica passing its active health check.</summary>
    public static HealthCheckResult Classify(IReadOnlyCollection<string> clustersWithoutHealthyReplica)
    {
        if (clustersWithoutHealthyReplica.Count == 0)
        {
            return HealthCheckResult.Healthy();
        }
        var description = $"No healthy replica in: {string.Join(", ", clustersWithoutHealthyReplica)}";
        return clustersWithoutHealthyReplica.Contains(EdgeClusters.ConnectionService, StringComparer.Ordinal)
            ? HealthCheckResult.Unhealthy(description)
            : HealthCheckResult.Degraded(description);
    }
}
