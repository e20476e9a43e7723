using RealtimeAspire.Testing;

namespace RealtimeAspire.PresenceService.Tests.Functional;

/// <summary>
/// Three replicas and Presence.Service on a real three-master Redis Cluster: presence keys on the shard of their
/// hash tag, presence events over sharded pub/sub to the replicas of each channel's shard.
/// </summary>
public sealed class RedisClusterPresenceTopology() : PresenceTopology(3)
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

[CollectionDefinition(nameof(PresenceOnRedisCluster))]
public sealed class PresenceOnRedisCluster : ICollectionFixture<RedisClusterPresenceTopology>;
