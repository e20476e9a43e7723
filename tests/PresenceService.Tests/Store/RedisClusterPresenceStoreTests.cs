using RealtimeAspire.PresenceService.Store;
using StackExchange.Redis;

namespace RealtimeAspire.PresenceService.Tests.Store;

/// <summary>The store contract on a Redis Cluster: each test's prefix (hash tag) lands on some shard; every script runs there.</summary>
[Collection(nameof(RedisClusterStoreCollection))]
public sealed class RedisClusterPresenceStoreTests : PresenceStoreContract
{
    private readonly RedisPresenceStore _store;
    private readonly RedisPresenceStore _peer;

    public RedisClusterPresenceStoreTests(RedisClusterFixture redis)
    {
        Assert.All(redis.Redis.GetServers(), s => Assert.Equal(ServerType.Cluster, s.ServerType));
        var options = Options($"test:{{presence-{Guid.NewGuid():N}}}:");
        _store = new RedisPresenceStore(redis.Redis, options, Time);
        _peer = new RedisPresenceStore(redis.Redis, options, Time);
    }

    protected override IPresenceStore Store => _store;

    protected override IPresenceStore Peer => _peer;
}
