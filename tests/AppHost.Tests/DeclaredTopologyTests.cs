using RealtimeAspire.Hosting.Resources;
using RealtimeAspire.Hosting.Testing;
using RealtimeAspire.Testing;

namespace RealtimeAspire.Hosting.Tests;

/// <summary>What <c>AppHost/Program.cs</c> declares and what each process would be given, without starting anything.</summary>
public sealed class DeclaredTopologyTests : IAsyncLifetime
{
    private readonly string _dataPath = TestData.NewFolder("declared");
    private DistributedApplication _app = null!;

    public Task InitializeAsync()
    {
        _app = DistributedApplicationEntryPoint.Build(typeof(DistributedApplication).Assembly, TestTopology.Arguments(new TestTopologyOptions(), _dataPath));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        TestData.Delete(_dataPath);
    }

    [Fact]
    public void ProgramDeclaresNineInstancesWithThreeConnectionServiceReplicas()
    {
        var names = _app.Orchestrator.Instances.Select(i => i.Name).ToArray();

        Assert.Equal(
            ["postgres", "redis", "kafka", "message-service", "presence-service",
             "connection-service-0", "connection-service-1", "connection-service-2", "edge"],
            names);
    }

    [Fact]
    public void EachReplicaHasItsOwnEndpointAndConsumersSeeEveryReplica()
    {
        var replicas = _app.Orchestrator.Find("connection-service");
        var endpoints = replicas.Select(r => r.Endpoints.Single().ToString().TrimEnd('/')).ToArray();
        Assert.Equal(3, endpoints.Distinct().Count());

        var edge = Environment("edge");
        string[] seenByEdge = [edge["services__connection-service__http__0"], edge["services__connection-service__http__1"], edge["services__connection-service__http__2"]];
        Assert.Equal(endpoints, seenByEdge);
        Assert.False(edge.ContainsKey("services__connection-service__http__3"));
        Assert.StartsWith("http://127.0.0.1:", edge["services__message-service__http__0"], StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectsGetAspiresVariablesInAspiresFormats()
    {
        var replica = Environment("connection-service-1");

        Assert.Equal("connection-service", replica["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=1", replica["OTEL_RESOURCE_ATTRIBUTES"]);
        // No OTLP receiver runs unless one is configured: services are not pointed at a closed port.
        Assert.False(replica.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.False(replica.ContainsKey("OTEL_EXPORTER_OTLP_PROTOCOL"));
        Assert.Equal("always_on", replica["OTEL_TRACES_SAMPLER"]);
        Assert.Equal("1000", replica["OTEL_BSP_SCHEDULE_DELAY"]);
        Assert.Equal(_app.Orchestrator.Find("connection-service-1").Single().Endpoints.Single().ToString().TrimEnd('/'), replica["ASPNETCORE_URLS"]);
        Assert.Equal("Development", replica["ASPNETCORE_ENVIRONMENT"]);
        Assert.Matches(@"^127\.0\.0\.1:\d+,password=[0-9a-f]{48}$", replica["ConnectionStrings__redis"]);

        var messages = Environment("message-service")["ConnectionStrings__messages"];
        Assert.Matches(@"^Host=127\.0\.0\.1;Port=\d+;Username=postgres;Password=[0-9a-f]{48};Database=messages$", messages);
    }

    [Fact]
    public void KafkaIsTheInMemoryMockBrokerAndSaysSoUnlessAConnectionStringIsGiven()
    {
        var kafka = Assert.IsType<KafkaResource>(_app.Orchestrator.Find("kafka").Single().Resource);

        Assert.False(kafka.IsExternal);
        Assert.Contains("in memory", kafka.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretsAreGeneratedIntoTheDataFolderAndReusedOnTheNextRun()
    {
        var first = Environment("message-service")["ConnectionStrings__messages"];
        var secrets = Path.Combine(_dataPath, "secrets.json");
        Assert.True(File.Exists(secrets));

        var again = DistributedApplicationEntryPoint.Build(typeof(DistributedApplication).Assembly, TestTopology.Arguments(new TestTopologyOptions(), _dataPath));
        var second = again.Orchestrator.ProjectEnvironment(again.Orchestrator.Find("message-service").Single(), "Development")["ConnectionStrings__messages"];

        Assert.Equal(Password(first), Password(second));

        static string Password(string cs) => cs.Split(';').Single(p => p.StartsWith("Password=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AConfiguredOtlpCollectorIsHandedToEveryServiceAndABadOneIsRefusedAtStart()
    {
        var options = new TestTopologyOptions { Configuration = new Dictionary<string, string> { ["AppHost:OtlpEndpoint"] = "http://localhost:4317" } };
        await using var withCollector = DistributedApplicationEntryPoint.Build(typeof(DistributedApplication).Assembly, TestTopology.Arguments(options, _dataPath));
        var replica = withCollector.Orchestrator.ProjectEnvironment(withCollector.Orchestrator.Find("connection-service-0").Single(), "Development");

        Assert.Equal("http://localhost:4317", replica["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", replica["OTEL_EXPORTER_OTLP_PROTOCOL"]);

        var bad = new TestTopologyOptions { Configuration = new Dictionary<string, string> { ["AppHost:OtlpEndpoint"] = "localhost 4317" } };
        var error = Assert.ThrowsAny<Exception>(() => DistributedApplicationEntryPoint.Build(typeof(DistributedApplication).Assembly, TestTopology.Arguments(bad, _dataPath)));
        Assert.Contains("OtlpEndpoint", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RedisAndPresenceServiceAreServedFirstAndTheRestAtNormalPriority()
    {
        var niceness = _app.Orchestrator.Instances.ToDictionary(i => i.Name, i => i.Resource.Niceness);

        Assert.Equal(ResourceBuilderExtensions.ControlPlaneNiceness, niceness["redis"]);
        Assert.Equal(ResourceBuilderExtensions.ControlPlaneNiceness, niceness["presence-service"]);
        Assert.True(ResourceBuilderExtensions.ControlPlaneNiceness < 0);
        Assert.All(niceness.Where(n => n.Key is not ("redis" or "presence-service")), n => Assert.Equal(0, n.Value));
    }

    private Dictionary<string, string> Environment(string instance) =>
        _app.Orchestrator.ProjectEnvironment(_app.Orchestrator.Find(instance).Single(), "Development");
}
