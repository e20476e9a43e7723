using RealtimeAspire.EdgeProxy.Affinity;
using RealtimeAspire.EdgeProxy.Cors;
using RealtimeAspire.EdgeProxy.Health;
using RealtimeAspire.EdgeProxy.RateLimiting;
using RealtimeAspire.EdgeProxy.Telemetry;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace RealtimeAspire.EdgeProxy.Routing;

public static class EdgeRouting
{
    /// <summary>
    /// YARP with one destination per replica, read from service discovery configuration
    /// (<c>services:{name}:http:{i}</c>): a change in replica count needs no edge change, and each replica is
    /// addressable on its own, which sticky routing needs. Only Connection.Service holds per-client state, so only
    /// its cluster is sticky.
    /// </summary>
    public static IHostApplicationBuilder AddEdgeRouting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeProxyOptions>().BindConfiguration(EdgeProxyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IForwarderHttpClientFactory, EdgeForwarderHttpClientFactory>();

        var proxyOptions = builder.Configuration.GetSection(EdgeProxyOptions.SectionName).Get<EdgeProxyOptions>() ?? new();
        var healthOptions = builder.Configuration.GetSection(EdgeHealthOptions.SectionName).Get<EdgeHealthOptions>() ?? new();
        var clusters = EdgeClusters.All
            .Select(name => Cluster(name, builder.Configuration.GetSection($"services:{name}:http"), proxyOptions, healthOptions,
                name == EdgeClusters.ConnectionService ? EdgeAffinity.ClusterConfig(builder.Configuration) : null))
            .Where(cluster => cluster.Destinations!.Count > 0)
            .ToArray();
        var routes = Routes().Where(route => clusters.Any(c => c.ClusterId == route.ClusterId)).ToArray();

        builder.Services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .AddTransforms(transforms => transforms.AddResponseTransform(ConnectFailover.MarkUnavailableReplica))
            .AddEdgeAffinity();
        return builder;
    }

    /// <summary>The proxy pipeline: fail over refused connects, stick, balance, judge passive health, measure, forward.</summary>
    public static IEndpointRouteBuilder MapEdgeProxy(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ConnectFailover>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
            proxy.UseMiddleware<ProxyTelemetryMiddleware>();
        });
        return endpoints;
    }

    private static ClusterConfig Cluster(string name, IConfigurationSection endpoints, EdgeProxyOptions proxy, EdgeHealthOptions health, SessionAffinityConfig? affinity) => new()
    {
        ClusterId = name,
        Destinations = endpoints.GetChildren().ToDictionary(
            endpoint => $"{name}-{endpoint.Key}",
            endpoint => new DestinationConfig { Address = endpoint.Value!, Health = endpoint.Value }),
        // Balances by requests in flight; a proxied WebSocket or stream counts for its whole life, so new
        // connections go to the replica holding fewer.
        LoadBalancingPolicy = "PowerOfTwoChoices",
        SessionAffinity = affinity,
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = health.Interval,
                Timeout = health.Timeout,
                Policy = "ConsecutiveFailures",
                Path = Extensions.HealthEndpointPath,
            },
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = FailedConnectsHealthPolicy.PolicyName,
                ReactivationPeriod = health.ReactivationPeriod,
            },
            // Never to an unhealthy (draining) replica, even when none is healthy: 503 rather than a replica that refuses.
            AvailableDestinationsPolicy = "HealthyAndUnknown",
        },
        HttpRequest = new ForwarderRequestConfig
        {
            ActivityTimeout = proxy.ActivityTimeout,
            // SSE must stream: no response buffering anywhere on the way.
            AllowResponseBuffering = false,
        },
        Metadata = new Dictionary<string, string>
        {
            ["ConsecutiveFailuresHealthPolicy.Threshold"] = health.ConsecutiveFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };

    private static IEnumerable<RouteConfig> Routes()
    {
        yield return Route("connect", EdgeClusters.ConnectionService, "/connect/{**rest}", RateLimitTraffic.Connect);
        yield return Route("publish", EdgeClusters.ConnectionService, "/api/channels/{channel}/messages", RateLimitTraffic.Publish, "POST");
        yield return Route("typing", EdgeClusters.ConnectionService, "/api/channels/{channel}/typing", RateLimitTraffic.Publish, "POST");
        yield return Route("dev-token", EdgeClusters.ConnectionService, "/api/dev/token", null, "POST");
        yield return Route("history", EdgeClusters.MessageService, "/api/channels/{channel}/messages", null, "GET");
        yield return Route("channel-presence", EdgeClusters.PresenceService, "/api/channels/{channel}/presence", null);
        yield return Route("user-status", EdgeClusters.PresenceService, "/api/users/{**rest}", null);
    }

    private static RouteConfig Route(string id, string cluster, string path, string? rateLimitTraffic, params string[] methods) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path, Methods = methods.Length == 0 ? null : methods },
        CorsPolicy = EdgeCors.PolicyName,
        Metadata = rateLimitTraffic is null ? null : new Dictionary<string, string> { [RateLimitTraffic.MetadataKey] = rateLimitTraffic },
    };
}
