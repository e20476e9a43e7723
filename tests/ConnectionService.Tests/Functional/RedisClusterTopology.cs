using RealtimeAspire.Testing;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>
/// <see cref="ClusterTopology"/>'s three replicas and settings on a real three-master Redis Cluster instead of one
/// server: the replicas get the masters as <c>ConnectionStrings:redis</c>, so fan-out goes over sharded pub/sub and
/// each channel's keys and topic live on the shard that owns its slot.
/// </summary>
public sealed class RedisClusterTopology() : ConnectionServiceTopology(3, ClusterTopology.Settings)
{
    private readonly RedisClusterBacking _cluster = new();

    public LocalRedisCluster Redis => _cluster.Redis;

    protected override TestTopologyOptions Options => _cluster.Options;

    public override Task InitializeAsync() => _cluster.StartAsync(base.InitializeAsync);

    public override Task DisposeAsync() => _cluster.StopAsync(base.DisposeAsync);
}

[CollectionDefinition(nameof(RedisClusterCollection))]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterTopology>;
