using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using RealtimeAspire.Testing;

namespace RealtimeAspire.AppHost.Tests;

/// <summary>
/// Where each service's OTLP exporter points in a run: where the AppHost's dashboard receives
/// (<c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c>), for every project resource alike, the edge included.
/// docs/benchmarks.md recorded a run whose services exported to a port where nothing listened.
/// </summary>
public sealed class OtlpEndpointTests : IDisposable
{
    private readonly string _dataPath = TestData.NewFolder("otlp");

    public void Dispose() => TestData.Delete(_dataPath);

    [Fact]
    public async Task EveryServiceExportsToTheConfiguredDashboardEndpoint()
    {
        var environments = await ProjectEnvironmentsAsync(("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "http://localhost:18989"));

        Assert.Equal(["connection-service-0", "connection-service-1", "connection-service-2", "edge", "feed-publisher", "message-service", "presence-service"],
            environments.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, environment) in environments)
        {
            Assert.True(environment.TryGetValue("OTEL_EXPORTER_OTLP_ENDPOINT", out var endpoint), $"{name} has no OTEL_EXPORTER_OTLP_ENDPOINT");
            // Aspire gives a HostUrl (the same URL for a process on the host); resolving it needs no running application.
            var url = endpoint is IValueProvider provider ? await provider.GetValueAsync(CancellationToken.None) : endpoint.ToString();
            Assert.True(url == "http://localhost:18989", $"{name}: OTEL_EXPORTER_OTLP_ENDPOINT={url}");
        }
    }

    /// <summary>
    /// What the environment callbacks of every project resource set, as a run would (each callback, not the values:
    /// a value that refers to an endpoint resolves only once the application has allocated it).
    /// </summary>
    private async Task<Dictionary<string, Dictionary<string, object>>> ProjectEnvironmentsAsync(params (string Key, string Value)[] settings)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            TestTopology.Arguments(new TestTopologyOptions { Configuration = settings.ToDictionary(s => s.Key, s => s.Value) }, _dataPath));
        var environments = new Dictionary<string, Dictionary<string, object>>();
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var context = new EnvironmentCallbackContext(builder.ExecutionContext, project, [], CancellationToken.None);
            foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context).WaitAsync(TimeSpan.FromSeconds(30));
            }
            environments[project.Name] = context.EnvironmentVariables;
        }
        return environments;
    }
}
