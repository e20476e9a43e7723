using RealtimeAspire.Testing;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>
/// <see cref="ClusterTopology"/>'s three replicas and settings on a real three-master Redis Cluster instead of one
/// server: the replicas get the masters as <c>ConnectionStrings:redis</c>, so fan-out goes over sharded pub/sub and
/// each channel's keys and topic live on the shard that owns its slot.
/// </summary>
public sealed class RedisClusterTopology() : ConnectionServiceTopology(3, ClusterTopology.Settings)
{
    public LocalRedisCluster Redis { get; private set; } = null!;

    protected override TestTopologyOptions Options => new()
    {
        Configuration = new Dictionary<string, string> { ["ConnectionStrings:redis"] = Redis.ConnectionString },
    };

    public override async Task InitializeAsync()
    {
        Redis = await LocalRedisCluster.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await Redis.DisposeAsync();
        }
    }
}

[CollectionDefinition(nameof(RedisClusterCollection))]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterTopology>;
