using RealtimeAspire.Contracts;
using RealtimeAspire.PresenceService.Store;

namespace RealtimeAspire.PresenceService.Tests.Unit;

/// <summary>A presence script touches keys of many channels and users: on a cluster they must all share the prefix's slot.</summary>
public sealed class PresenceKeySlotTests
{
    [Theory]
    [InlineData("rt:{presence}:")]
    [InlineData("test:{presence-0123}:")]
    public void EveryPresenceKeyIsInThePrefixSlot(string prefix)
    {
        var keys = new PresenceKeys(prefix);
        var slot = RedisSlots.Of(keys.Replicas);

        Assert.Equal(slot, RedisSlots.Of(keys.Online));
        foreach (var name in new[] { "chat:room-1", "feed:{x}", "ünïcode", "a}b" })
        {
            Assert.Equal(slot, RedisSlots.Of(keys.ChannelCounts(name)));
            Assert.Equal(slot, RedisSlots.Of(keys.ChannelMembers(name)));
            Assert.Equal(slot, RedisSlots.Of(keys.User(name)));
            Assert.Equal(slot, RedisSlots.Of(keys.LastSeen(name)));
            // The scripts build the replica hash as prefix .. 'r:' .. replica.
            Assert.Equal(slot, RedisSlots.Of(prefix + "r:" + name));
        }
    }
}
