using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.AppHost.Topology;
using RealtimeAspire.Testing;

namespace RealtimeAspire.AppHost.Tests;

/// <summary>What <c>AppHost/Program.cs</c> declares, read from Aspire's application model without starting anything.</summary>
public sealed class DeclaredTopologyTests : IDisposable
{
    private readonly string _dataPath = TestData.NewFolder("declared");

    public void Dispose() => TestData.Delete(_dataPath);

    [Fact]
    public async Task ProgramDeclaresTheInfrastructureTheServicesAndOneResourcePerReplica()
    {
        await using var builder = await DeclareAsync();

        Assert.Equal(
            ["connection-service-0", "connection-service-1", "connection-service-2", "edge", "feed-publisher", "kafka", "message-service", "messages", "postgres", "presence-service", "redis"],
            Workload(builder).Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.IsType<LocalPostgresServerResource>(Resource(builder, "postgres"));
        Assert.IsType<LocalPostgresDatabaseResource>(Resource(builder, "messages"));
        Assert.IsType<LocalRedisResource>(Resource(builder, "redis"));
        Assert.IsType<KafkaDevBrokerResource>(Resource(builder, "kafka"));
    }

    [Fact]
    public async Task TheReplicaCountIsConfigurable()
    {
        await using var builder = await DeclareAsync(("Realtime:Replicas", "5"));

        Assert.Equal(5, Workload(builder).Count(r => r.Name.StartsWith("connection-service-", StringComparison.Ordinal)));
        Assert.Contains(builder.Resources, r => r.Name == "connection-service-4");
    }

    [Fact]
    public async Task HotPathEndpointsAreProxylessOnPortsFixedForTheAppHostsLife()
    {
        await using var builder = await DeclareAsync();

        var endpoints = Workload(builder).OfType<ProjectResource>()
            .Select(p => (p.Name, Endpoint: p.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http")))
            .ToList();
        Assert.All(endpoints, e => Assert.False(e.Endpoint.IsProxied, e.Name));
        Assert.All(endpoints, e => Assert.NotNull(e.Endpoint.Port));
        Assert.Equal(endpoints.Count, endpoints.Select(e => e.Endpoint.Port).Distinct().Count());
        var infrastructure = new[] { "postgres", "redis", "kafka" }.Select(n => ((IResourceWithEndpoints)Resource(builder, n)).Annotations.OfType<EndpointAnnotation>().Single());
        Assert.All(infrastructure, e => Assert.True(!e.IsProxied && e.Port is not null && e.Port == e.TargetPort));
    }

    [Fact]
    public async Task AConfiguredConnectionStringReplacesTheLocalServer()
    {
        await using var builder = await DeclareAsync(
            ("ConnectionStrings:redis", "redis.internal:6379,password=x"),
            ("ConnectionStrings:kafka", "broker1:9092"),
            ("ConnectionStrings:messages", "Host=db;Database=messages"));

        Assert.All(new[] { "redis", "kafka", "messages" }, name => Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, name)));
        Assert.All(new[] { "redis", "kafka", "messages" }, name => Assert.IsAssignableFrom<ParameterResource>(Resource(builder, name)));
        Assert.DoesNotContain(builder.Resources, r => r is LocalPostgresServerResource or LocalRedisResource or KafkaDevBrokerResource);
    }

    [Fact]
    public async Task SecretsAreGeneratedIntoTheDataFolderReusedOnTheNextRunAndAConfiguredValueWins()
    {
        string first;
        await using (var builder = await DeclareAsync())
        {
            first = (await Parameter(builder, "postgres-password").GetValueAsync(CancellationToken.None))!;
        }
        // Marked as a development secret: a service in Production refuses it (ServiceDefaults' ProductionSettingsValidator).
        Assert.Matches($"^{DevelopmentSecrets.GeneratedPrefix}[0-9a-f]{{64}}$", first);
        Assert.Contains(first, await File.ReadAllTextAsync(Path.Combine(_dataPath, "secrets.json")), StringComparison.Ordinal);

        await using (var again = await DeclareAsync())
        {
            Assert.Equal(first, await Parameter(again, "postgres-password").GetValueAsync(CancellationToken.None));
            Assert.True(Parameter(again, "auth-signing-key").Secret);
        }
        await using (var configured = await DeclareAsync(("Parameters:auth-signing-key", "from-configuration")))
        {
            Assert.Equal("from-configuration", await Parameter(configured, "auth-signing-key").GetValueAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task RedisAndPresenceServiceAreServedFirstAndTheRestAtNormalPriority()
    {
        await using var builder = await DeclareAsync();

        var niceness = Workload(builder).ToDictionary(r => r.Name, r => r.Annotations.OfType<ResourceNiceness>().SingleOrDefault()?.Value ?? 0);

        Assert.Equal(ResourceNiceness.ControlPlane.Value, niceness["redis"]);
        Assert.Equal(ResourceNiceness.ControlPlane.Value, niceness["presence-service"]);
        Assert.True(ResourceNiceness.ControlPlane.Value < 0);
        Assert.All(niceness.Where(n => n.Key is not ("redis" or "presence-service")), n => Assert.Equal(0, n.Value));
    }

    [Fact]
    public async Task ServicesAreRestartedOnFailureAndReplicasCanBeDrainedFromTheDashboard()
    {
        await using var builder = await DeclareAsync();

        Assert.All(Workload(builder).OfType<ProjectResource>(), p => Assert.Single(p.Annotations.OfType<RestartOnFailureAnnotation>()));
        Assert.All(Workload(builder).Where(r => r.Name.StartsWith("connection-service-", StringComparison.Ordinal)),
            r => Assert.Contains(r.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == "drain"));
        Assert.Contains(Resource(builder, "redis").Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == "flush");
    }

    private async Task<IDistributedApplicationTestingBuilder> DeclareAsync(params (string Key, string Value)[] settings) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            TestTopology.Arguments(new TestTopologyOptions { Configuration = settings.ToDictionary(s => s.Key, s => s.Value) }, _dataPath));

    private static IResource Resource(IDistributedApplicationTestingBuilder builder, string name) => builder.Resources.Single(r => r.Name == name);

    private static ParameterResource Parameter(IDistributedApplicationTestingBuilder builder, string name) => (ParameterResource)Resource(builder, name);

    private static IEnumerable<IResource> Workload(IDistributedApplicationTestingBuilder builder) =>
        builder.Resources.Where(r => r is not ParameterResource && !r.Name.EndsWith("-rebuilder", StringComparison.Ordinal));
}
