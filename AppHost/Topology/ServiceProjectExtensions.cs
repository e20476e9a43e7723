using RealtimeAspire.AppHost.LocalInfrastructure;

namespace RealtimeAspire.AppHost.Topology;

public static class ServiceProjectExtensions
{
    /// <summary>
    /// A service of this repository as Aspire runs it, the way every one of ours runs: its HTTP endpoint bound by the
    /// process itself (no proxy in between: a hot path must not pay a hop) on <paramref name="port"/> or one fixed for
    /// the AppHost's life (a restarted replica keeps the address the edge was given), the AppHost's
    /// environment name (Development enables the dev-token endpoint), no launch profile to override what the AppHost
    /// says, its readiness (<c>/health</c>: every dependency) as its health, so whoever waits for it waits until it
    /// serves, and a dashboard link to its Prometheus <c>/metrics</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddServiceProject<TProject>(this IDistributedApplicationBuilder builder, string name, int? port = null)
        where TProject : IProjectMetadata, new()
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            // The platform sets the environment and the port; the AppHost's Development must not reach a deployment.
            // Container Apps' probes (and the edge's active checks of the replicas) need /health and /alive in Production.
            return builder.AddProject<TProject>(name, launchProfileName: null).WithHttpEndpoint()
                .WithEnvironment("HealthEndpoints__Enabled", "true")
                .WithHttpHealthCheck("/health");
        }
        var project = builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint(port: port ?? LocalPortAllocator.GetFreePort(), isProxied: false)
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithEnvironment("DOTNET_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithHttpHealthCheck("/health");
        return project.WithUrl(ReferenceExpression.Create($"{project.GetEndpoint("http")}/metrics"), "metrics");
    }
}
