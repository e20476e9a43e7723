using RealtimeAspire.PresenceService.Store;

namespace RealtimeAspire.PresenceService.Tests.Store;

public sealed class InMemoryPresenceStoreTests : PresenceStoreContract
{
    private readonly InMemoryPresenceStore _store;

    public InMemoryPresenceStoreTests() => _store = new InMemoryPresenceStore(Options(), Time);

    protected override IPresenceStore Store => _store;

    // One process: another instance of the service would share this very object.
    protected override IPresenceStore Peer => _store;
}
