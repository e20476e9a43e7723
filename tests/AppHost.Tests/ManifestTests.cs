using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.Testing;

namespace RealtimeAspire.AppHost.Tests;

/// <summary>The publish branch of <c>AppHost/Program.cs</c>: the manifest azd deploys from.</summary>
public sealed class ManifestTests : IAsyncLifetime
{
    private readonly string _folder = TestData.NewFolder("manifest");
    private JsonNode _manifest = null!;

    public async Task InitializeAsync()
    {
        var appHost = typeof(Projects.AppHost).Assembly.Location;
        var output = Path.Combine(_folder, "aspire-manifest.json");
        var info = new ProcessStartInfo("dotnet", [appHost, "--publisher", "manifest", "--output-path", output, "--environment=Production"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(appHost)!,
        };
        using var process = Process.Start(info)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);
        Assert.True(process.ExitCode == 0, await log + await errors);
        _manifest = JsonNode.Parse(await File.ReadAllTextAsync(output))!;
    }

    public Task DisposeAsync()
    {
        TestData.Delete(_folder);
        return Task.CompletedTask;
    }

    [Fact]
    public void TheManifestValidatesAgainstAspiresSchema()
    {
        var schema = JsonSchema.FromFile(Path.Combine(LocalInfrastructureOptions.RepositoryRoot, "..", "shared", "schemas", "aspire-manifest.schema.json"));

        var result = schema.Evaluate(JsonDocument.Parse(_manifest.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join('\n', (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void InfrastructureIsContainersAndParametersAndNothingIsALocalExecutable()
    {
        var resources = Resources();

        Assert.Equal("container.v0", Type("postgres"));
        Assert.Equal("value.v0", Type("messages"));
        Assert.Equal("container.v0", Type("redis"));
        // Kafka is the deployment's to supply (Event Hubs' Kafka endpoint, a managed cluster): a connection-string parameter.
        Assert.Equal("parameter.v0", Type("kafka"));
        Assert.DoesNotContain(resources, r => r.Value!["type"]!.GetValue<string>() == "executable.v0");
        Assert.All(new[] { "auth-signing-key", "edge-affinity-secret", "postgres-password", "redis-password" },
            name => Assert.True(resources[name]!["inputs"]!["value"]!["secret"]!.GetValue<bool>(), name));
    }

    [Fact]
    public void EveryServiceAndReplicaIsAProjectWithTheReferencesOfProgramCs()
    {
        Assert.All(new[] { "message-service", "presence-service", "connection-service-0", "connection-service-1", "connection-service-2", "edge", "feed-publisher" },
            name => Assert.Equal("project.v0", Type(name)));

        // Only the edge is reachable from outside the Container Apps environment.
        Assert.True(Resources()["edge"]!["bindings"]!["http"]!["external"]?.GetValue<bool>());
        Assert.All(new[] { "message-service", "presence-service", "connection-service-0", "feed-publisher" },
            name => Assert.Null(Resources()[name]!["bindings"]!["http"]!["external"]));

        var edge = Env("edge");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal($"{{connection-service-{i}.bindings.http.url}}", edge[$"services__connection-service__http__{i}"]);
        }
        Assert.False(edge.ContainsKey("services__connection-service__http__3"));
        Assert.Equal("{edge-affinity-secret.value}", edge["Edge__Affinity__Secret"]);
        // The edge's per-frame scheduling travels with the deployment (docs/edge.md, "Per-frame cost").
        Assert.Equal("1", edge["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
        Assert.Equal("{message-service.bindings.http.url}", edge["services__message-service__http__0"]);

        var replica = Env("connection-service-1");
        Assert.Equal("connection-service", replica["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=connection-service-1", replica["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("{redis.connectionString}", replica["ConnectionStrings__redis"]);
        Assert.Equal("{kafka.connectionString}", replica["ConnectionStrings__kafka"]);
        Assert.Equal("{auth-signing-key.value}", replica["Auth__SigningKey"]);
        Assert.Equal("{messages.connectionString}", Env("message-service")["ConnectionStrings__messages"]);
        // The platform decides the environment; the AppHost's Development must not leak into a deployment.
        Assert.False(replica.ContainsKey("ASPNETCORE_ENVIRONMENT"));
        // The local stop budget is the AppHost's; a deployment drains by the service's default inside its grace period.
        Assert.False(replica.ContainsKey("Drain__Window"));
        // Container Apps' probes and the edge's active checks need /health and /alive, which Production serves only when asked.
        Assert.All(new[] { "message-service", "presence-service", "connection-service-0", "edge", "feed-publisher" },
            name => Assert.Equal("true", Env(name)["HealthEndpoints__Enabled"]));
        // Secrets are the deployment's: no value the AppHost generates for a local run reaches the manifest.
        Assert.DoesNotContain(DevelopmentSecrets.GeneratedPrefix, _manifest.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>Every reference and secret of Program.cs, per project, and nothing else: a dropped or extra one fails.</summary>
    [Fact]
    public void EachProjectGetsExactlyTheReferencesAndSecretsProgramCsDeclares()
    {
        string[] replica = ["Auth__SigningKey", "ConnectionStrings__redis", "ConnectionStrings__kafka", "services__message-service__http__0", "services__presence-service__http__0"];
        var expected = new Dictionary<string, string[]>
        {
            ["message-service"] = ["Auth__SigningKey", "ConnectionStrings__messages", "ConnectionStrings__kafka", "ConnectionStrings__redis"],
            ["presence-service"] = ["Auth__SigningKey", "ConnectionStrings__redis"],
            ["connection-service-0"] = replica,
            ["connection-service-1"] = replica,
            ["connection-service-2"] = replica,
            ["edge"] = ["Edge__Affinity__Secret", "services__connection-service__http__0", "services__connection-service__http__1", "services__connection-service__http__2",
                "services__message-service__http__0", "services__presence-service__http__0"],
            ["feed-publisher"] = ["Auth__SigningKey", "services__edge__http__0"],
        };

        Assert.Equal(expected.Keys.Order(), Resources().Where(r => r.Value!["type"]!.GetValue<string>() == "project.v0").Select(r => r.Key).Order());
        foreach (var (name, keys) in expected)
        {
            var declared = Env(name).Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("services__", StringComparison.Ordinal)
                || k is "Auth__SigningKey" or "Edge__Affinity__Secret");
            Assert.True(keys.Order().SequenceEqual(declared.Order()), $"{name}: expected {string.Join(", ", keys.Order())}; manifest has {string.Join(", ", declared.Order())}");
        }
    }

    private JsonObject Resources() => _manifest["resources"]!.AsObject();

    private string Type(string name) => Resources()[name]!["type"]!.GetValue<string>();

    private Dictionary<string, string> Env(string name) =>
        Resources()[name]!["env"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
}
