using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace RealtimeAspire.EdgeProxy.Health;

public static class EdgeHealth
{
    /// <summary>
    /// Replica health settings and the passive policy the clusters name (see <c>EdgeRouting</c>); and the edge's own
    /// readiness: every cluster it routes to has at least one replica that passes its active health check.
    /// </summary>
    public static IHostApplicationBuilder AddEdgeHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeHealthOptions>().BindConfiguration(EdgeHealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, FailedConnectsHealthPolicy>();
        builder.Services.AddHealthChecks().AddCheck<ClustersHealthCheck>("clusters");
        return builder;
    }

    private sealed class ClustersHealthCheck(IProxyStateLookup proxy) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var withoutReplica = proxy.GetClusters()
                .Where(cluster => !cluster.Destinations.Values.Any(d => d.Health.Active == DestinationHealth.Healthy))
                .Select(cluster => cluster.ClusterId)
                .ToArray();
            return Task.FromResult(withoutReplica.Length == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"No healthy replica in: {string.Join(", ", withoutReplica)}"));
        }
    }
}
