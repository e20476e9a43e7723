using Yarp.ReverseProxy.Configuration;

namespace RealtimeAspire.EdgeProxy.Routing;

public static class EdgeRouting
{
    /// <summary>
    /// YARP with one destination per replica, read from service discovery configuration
    /// (<c>services:{name}:http:{i}</c>): a change in replica count needs no edge change, and each replica is
    /// addressable on its own, which sticky routing needs.
    /// </summary>
    public static IHostApplicationBuilder AddEdgeRouting(this IHostApplicationBuilder builder)
    {
        var clusters = EdgeClusters.All
            .Select(name => Cluster(name, builder.Configuration.GetSection($"services:{name}:http")))
            .Where(cluster => cluster.Destinations!.Count > 0)
            .ToArray();
        var routes = Routes().Where(route => clusters.Any(c => c.ClusterId == route.ClusterId)).ToArray();
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
        return builder;
    }

    private static ClusterConfig Cluster(string name, IConfigurationSection endpoints) => new()
    {
        ClusterId = name,
        Destinations = endpoints.GetChildren().ToDictionary(
            endpoint => $"{name}-{endpoint.Key}",
            endpoint => new DestinationConfig { Address = endpoint.Value!, Health = endpoint.Value }),
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = TimeSpan.FromSeconds(2),
                Timeout = TimeSpan.FromSeconds(2),
                Policy = "ConsecutiveFailures",
                Path = Extensions.HealthEndpointPath,
            },
            Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = "TransportFailureRate", ReactivationPeriod = TimeSpan.FromSeconds(5) },
        },
    };

    private static IEnumerable<RouteConfig> Routes()
    {
        yield return Route("connect", EdgeClusters.ConnectionService, "/connect/{**rest}");
        yield return Route("publish", EdgeClusters.ConnectionService, "/api/channels/{channel}/messages", "POST");
        yield return Route("dev-token", EdgeClusters.ConnectionService, "/api/dev/token", "POST");
        yield return Route("history", EdgeClusters.MessageService, "/api/channels/{channel}/messages", "GET");
        yield return Route("channel-presence", EdgeClusters.PresenceService, "/api/channels/{channel}/presence");
        yield return Route("user-status", EdgeClusters.PresenceService, "/api/users/{**rest}");
    }

    private static RouteConfig Route(string id, string cluster, string path, params string[] methods) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path, Methods = methods.Length == 0 ? null : methods },
    };
}
