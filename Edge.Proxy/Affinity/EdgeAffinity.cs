using Microsoft.Extensions.Options;
using RealtimeAspire.EdgeProxy.Telemetry;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.SessionAffinity;
using Yarp.ReverseProxy.Transforms;

namespace RealtimeAspire.EdgeProxy.Affinity;

public static class EdgeAffinity
{
    /// <summary>The affinity settings a cluster of stateful replicas gets: our policy, redistribution on failure.</summary>
    public static SessionAffinityConfig ClusterConfig(IConfiguration configuration) => new()
    {
        Enabled = true,
        Policy = AffinityConventions.PolicyName,
        FailurePolicy = SessionAffinityConstants.FailurePolicies.Redistribute,
        AffinityKeyName = configuration.GetSection(EdgeAffinityOptions.SectionName)[nameof(EdgeAffinityOptions.CookieName)] ?? AffinityConventions.DefaultCookieName,
        Cookie = new SessionAffinityCookieConfig
        {
            Path = "/",
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            SecurePolicy = CookieSecurePolicy.SameAsRequest,
            IsEssential = true,
        },
    };

    /// <summary>Registers the policy and the transform that tells the service which key the edge chose (<c>X-Edge-Affinity</c>).</summary>
    public static IReverseProxyBuilder AddEdgeAffinity(this IReverseProxyBuilder proxy)
    {
        proxy.Services.AddOptions<EdgeAffinityOptions>()
            .BindConfiguration(EdgeAffinityOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        proxy.Services.AddSingleton(services => new AffinityKeyProtector(services.GetRequiredService<IOptions<EdgeAffinityOptions>>().Value.SecretBytes()));
        proxy.Services.AddSingleton<ISessionAffinityPolicy, RealtimeAffinityPolicy>();

        return proxy.AddTransforms(context =>
        {
            if (context.Cluster?.SessionAffinity?.Enabled != true)
            {
                return;
            }
            var protector = context.Services.GetRequiredService<AffinityKeyProtector>();
            context.AddRequestTransform(transform =>
            {
                var http = transform.HttpContext;
                var destination = http.GetReverseProxyFeature().ProxiedDestination;
                var cluster = http.GetRouteModel().Cluster;
                // A client cannot choose what the service is told: whatever it sent under this name is replaced.
                RequestTransform.TakeHeader(transform, AffinityConventions.ForwardedHeader);
                if (destination is not null && cluster is not null)
                {
                    var key = protector.Protect(cluster.ClusterId, destination.DestinationId);
                    RequestTransform.AddHeader(transform, AffinityConventions.ForwardedHeader, key);
                    if (http.Features.Get<AffinityDecision>() is { } decision)
                    {
                        decision.ChosenKey = key;
                    }
                }
                return ValueTask.CompletedTask;
            });
        });
    }
}
