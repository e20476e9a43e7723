using Aspire.Hosting;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.AppHost.Topology;
using RealtimeAspire.Testing;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>Real Redis and a real Kafka-protocol broker, and Connection.Service replicas configured for a test class.</summary>
public abstract class ConnectionServiceTopology(int replicas, IReadOnlyDictionary<string, string> settings) : IAsyncLifetime
{
    public TestTopology Topology { get; private set; } = null!;

    public Uri Replica(int i) => Topology.Endpoint($"connection-service-{i}");

    /// <summary>What the test host is started with: a topology on a Redis of its own unless a subclass says otherwise.</summary>
    protected virtual TestTopologyOptions Options => new();

    public virtual async Task InitializeAsync()
    {
        Topology = await TestTopology.StartAsync(Options, (builder, secrets) =>
        {
            var redis = builder.AddLocalRedis("redis", secrets);
            var kafka = builder.AddKafkaDevBroker("kafka");
            var signingKey = secrets.Parameter("auth-signing-key");
            builder.AddReplicas<Projects.Connection_Service>("connection-service", replicas, replica =>
            {
                replica
                    .WithEnvironment("Auth__SigningKey", signingKey)
                    .WithReference(redis).WaitFor(redis)
                    .WithReference(kafka).WaitFor(kafka)
                    .WithRestartOnFailure();
                foreach (var (key, value) in settings)
                {
                    replica.WithEnvironment(key, value);
                }
            });
        }, CancellationToken.None);
        await Topology.WaitForAllHealthyAsync(TimeSpan.FromSeconds(120));
    }

    public virtual async Task DisposeAsync() => await Topology.DisposeAsync();
}

/// <summary>Three replicas with room for load: for delivery, ordering, resume and drain.</summary>
public sealed class ClusterTopology() : ConnectionServiceTopology(3, Settings)
{
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Connections__Limits__FramesPerSecond"] = "10000",
        ["Connections__Limits__FrameBurst"] = "10000",
        ["Connections__Limits__MaxConnectionsPerUser"] = "50",
        ["Channels__Namespaces__chat__PublishRatePerSecond"] = "10000",
        ["Channels__Namespaces__chat__PublishBurst"] = "10000",
        ["Channels__Namespaces__chat__HistorySize"] = "5000",
        // Not the default (1 s), so that the typing tests show the setting is what applies.
        ["Channels__Namespaces__chat__TypingInterval"] = "00:00:02",
        ["Channels__Namespaces__feed__PublishRatePerSecond"] = "10000",
        ["Channels__Namespaces__feed__PublishBurst"] = "10000",
        ["Channels__Namespaces__feed__HistorySize"] = "100",
        ["Drain__Window"] = "00:00:03",
    };
}

/// <summary>One replica with tight limits: for every limit and every bad input.</summary>
public sealed class StrictTopology() : ConnectionServiceTopology(1, new Dictionary<string, string>
{
    ["Connections__Limits__MaxFrameBytes"] = "8192",
    ["Connections__Limits__FramesPerSecond"] = "20",
    ["Connections__Limits__FrameBurst"] = "20",
    ["Connections__Limits__MaxRefusedFramesInARow"] = "10",
    ["Connections__Limits__MaxSubscriptions"] = "3",
    ["Connections__Limits__MaxConnectionsPerUser"] = "3",
    ["Connections__Limits__MaxQueuedFrames"] = "64",
    ["Channels__Namespaces__chat__MaxMessageBytes"] = "1024",
    ["Channels__Namespaces__chat__PublishRatePerSecond"] = "2",
    ["Channels__Namespaces__chat__PublishBurst"] = "3",
    ["Channels__Namespaces__live__MaxMessageBytes"] = "7000",
    ["Channels__Namespaces__live__PublishRatePerSecond"] = "100000",
    ["Channels__Namespaces__live__PublishBurst"] = "100000",
    ["Cors__AllowedOrigins__0"] = "https://app.example",
    // A slow consumer in these tests starts reading only after it was closed: give the close handshake time.
    ["Transports__CloseTimeout"] = "00:00:30",
});

/// <summary>One replica that pings every second and gives up after two: its own, as a slow consumer would miss pongs too.</summary>
public sealed class KeepAliveTopology() : ConnectionServiceTopology(1, new Dictionary<string, string>
{
    ["Transports__KeepAliveInterval"] = "00:00:01",
    ["Transports__KeepAliveTimeout"] = "00:00:02",
    ["Transports__SseHeartbeatInterval"] = "00:00:01",
});

/// <summary>One replica with the WebSocket connection middleware turned off: every socket accepted by the HTTP pipeline.</summary>
public sealed class HttpPipelineAcceptTopology() : ConnectionServiceTopology(1, new Dictionary<string, string>
{
    ["Transports__WebSocketAccept__ConnectionMiddleware"] = "false",
});

[CollectionDefinition(nameof(HttpPipelineAcceptCollection))]
public sealed class HttpPipelineAcceptCollection : ICollectionFixture<HttpPipelineAcceptTopology>;

[CollectionDefinition(nameof(ClusterCollection))]
public sealed class ClusterCollection : ICollectionFixture<ClusterTopology>;

[CollectionDefinition(nameof(StrictCollection))]
public sealed class StrictCollection : ICollectionFixture<StrictTopology>;

[CollectionDefinition(nameof(KeepAliveCollection))]
public sealed class KeepAliveCollection : ICollectionFixture<KeepAliveTopology>;
