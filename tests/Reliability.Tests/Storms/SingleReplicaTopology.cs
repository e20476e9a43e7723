using RealtimeAspire.ConnectionService.Tests.Functional;

namespace RealtimeAspire.Reliability.Tests.Storms;

/// <summary>
/// One Connection.Service replica on real Redis and Kafka, started for the storm and used by nothing before it:
/// the replica is as cold as one that was just restarted (nothing JIT-compiled, empty pools, thread pool at its minimum).
/// </summary>
public sealed class SingleReplicaTopology() : ConnectionServiceTopology(1, new Dictionary<string, string>
{
    // The storm's clients are few users with many streams each, as the benchmark's (20 a user) but fewer tokens.
    ["Connections__Limits__MaxConnectionsPerUser"] = SseConnectStormTests.StreamsPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Channels__Namespaces__feed__PublishRatePerSecond"] = "1000",
    ["Channels__Namespaces__feed__PublishBurst"] = "1000",
})
{
    public ReplicaProbe Probe() => new(Replica(0), Topology.Instance("connection-service-0").ProcessId
        ?? throw new InvalidOperationException("connection-service-0 has no process id."));
}

[CollectionDefinition(nameof(SingleReplicaCollection))]
public sealed class SingleReplicaCollection : ICollectionFixture<SingleReplicaTopology>;
