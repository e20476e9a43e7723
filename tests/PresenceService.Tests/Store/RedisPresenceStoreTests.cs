using RealtimeAspire.PresenceService.Store;

namespace RealtimeAspire.PresenceService.Tests.Store;

[Collection(nameof(RedisCollection))]
public sealed class RedisPresenceStoreTests : PresenceStoreContract
{
    private readonly RedisPresenceStore _store;
    private readonly RedisPresenceStore _peer;

    public RedisPresenceStoreTests(RedisFixture redis)
    {
        // A key prefix of its own per test: a fresh, empty store on the shared server.
        var options = Options($"test:{{presence-{Guid.NewGuid():N}}}:");
        _store = new RedisPresenceStore(redis.Redis, options, Time);
        _peer = new RedisPresenceStore(redis.Redis, options, Time);
    }

    protected override IPresenceStore Store => _store;

    protected override IPresenceStore Peer => _peer;
}
