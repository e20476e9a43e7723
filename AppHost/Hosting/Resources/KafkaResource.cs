using Confluent.Kafka;
using RealtimeAspire.Hosting.Orchestration;

namespace RealtimeAspire.Hosting.Resources;

/// <summary>
/// Kafka: librdkafka's in-memory mock cluster in a process of its own (local development only: a restart is an
/// empty broker on a new port), or an existing cluster when <c>ConnectionStrings:{name}</c> is configured.
/// </summary>
public sealed class KafkaResource(string name, IProjectMetadata mockBroker, string? externalConnectionString, IReadOnlyList<string> topics)
    : Resource(name), IProcessResource, IResourceWithConnectionString, IDisposable
{
    public const string MockBrokerNote =
        "Embedded librdkafka mock broker: keeps messages in memory, loses them on restart; for local development only. " +
        "Set ConnectionStrings:kafka to use a real cluster.";

    private const string ReadyPrefix = "Kafka mock cluster listening on ";
    private readonly Lock _probeGate = new();
    private (string Bootstrap, IAdminClient Client)? _probe;
    private volatile string? _mockBootstrap;

    public override string Kind => IsExternal ? "Kafka (external)" : "Kafka (in-memory mock broker)";

    public bool IsExternal => externalConnectionString is not null;

    public string? Note => IsExternal ? null : MockBrokerNote;

    public string ConnectionName => Name;

    public string? GetConnectionString() => externalConnectionString ?? _mockBootstrap;

    public Task PrepareAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        _mockBootstrap = null;
        return Task.CompletedTask;
    }

    public ProcessSpec CreateProcessSpec(ResourceInstance instance)
    {
        var assembly = ProjectResource.AssemblyPathOf(mockBroker);
        return new ProcessSpec("dotnet", [assembly, .. topics.SelectMany(t => new[] { "--topic", t })])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly),
        };
    }

    public void OnOutput(ResourceInstance instance, string line)
    {
        if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            _mockBootstrap = line[ReadyPrefix.Length..].Trim();
        }
    }

    public Task<bool> ProbeAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        if (GetConnectionString() is not { } bootstrap)
        {
            return Task.FromResult(false);
        }
        IAdminClient admin;
        lock (_probeGate)
        {
            if (_probe?.Bootstrap != bootstrap)
            {
                // The mock broker moved (restarted): drop the client that keeps dialling the old address.
                _probe?.Client.Dispose();
                // The probe's answer is its result; librdkafka's own lines ("brokers are down" when the broker stops
                // before the probe is disposed) would only land on the AppHost's console.
                _probe = (bootstrap, new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap })
                    .SetLogHandler((_, _) => { })
                    .Build());
            }
            admin = _probe.Value.Client;
        }
        // GetMetadata blocks; keep it off the caller's thread.
        return Task.Run(() => admin.GetMetadata(TimeSpan.FromSeconds(2)).Brokers.Count > 0, cancellationToken);
    }

    /// <summary>The probe's client dials its broker until disposed, long after a test host stopped the broker.</summary>
    public void Dispose()
    {
        lock (_probeGate)
        {
            _probe?.Client.Dispose();
            _probe = null;
        }
    }
}
