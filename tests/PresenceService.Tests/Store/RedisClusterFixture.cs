using RealtimeAspire.Testing;
using StackExchange.Redis;

namespace RealtimeAspire.PresenceService.Tests.Store;

/// <summary>A real three-master Redis Cluster and a multiplexer over it.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    public LocalRedisCluster Cluster { get; private set; } = null!;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await LocalRedisCluster.StartAsync();
        Redis = await ConnectionMultiplexer.ConnectAsync(Cluster.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(nameof(RedisClusterStoreCollection))]
public sealed class RedisClusterStoreCollection : ICollectionFixture<RedisClusterFixture>;
