using Yarp.ReverseProxy.Health;

namespace RealtimeAspire.EdgeProxy.Health;

public static class EdgeHealth
{
    /// <summary>
    /// Replica health settings and the passive policy the clusters name (see <c>EdgeRouting</c>); and the edge's own
    /// readiness (<see cref="ClustersHealthCheck"/>): Unhealthy without a Connection.Service replica that passes its
    /// active health check, Degraded without a Message.Service or Presence.Service one.
    /// </summary>
    public static IHostApplicationBuilder AddEdgeHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeHealthOptions>().BindConfiguration(EdgeHealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, FailedConnectsHealthPolicy>();
        builder.Services.AddHealthChecks().AddCheck<ClustersHealthCheck>("clusters");
        return builder;
    }
}
