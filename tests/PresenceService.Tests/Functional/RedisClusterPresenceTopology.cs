using RealtimeAspire.Testing;

namespace RealtimeAspire.PresenceService.Tests.Functional;

/// <summary>
/// Three replicas and Presence.Service on a real three-master Redis Cluster: presence keys on the shard of their
/// hash tag, presence events over sharded pub/sub to the replicas of each channel's shard.
/// </summary>
public sealed class RedisClusterPresenceTopology() : PresenceTopology(3)
{
    private readonly RedisClusterBacking _cluster = new();

    public LocalRedisCluster Redis => _cluster.Redis;

    protected override TestTopologyOptions Options => _cluster.Options;

    public override Task InitializeAsync() => _cluster.StartAsync(base.InitializeAsync);

    public override Task DisposeAsync() => _cluster.StopAsync(base.DisposeAsync);
}

[CollectionDefinition(nameof(PresenceOnRedisCluster))]
public sealed class PresenceOnRedisCluster : ICollectionFixture<RedisClusterPresenceTopology>;
