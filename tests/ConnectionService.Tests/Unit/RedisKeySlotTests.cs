using RealtimeAspire.Contracts;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

/// <summary>Every key a channel's script or multi-key call touches hashes to the channel's slot, or a cluster refuses it.</summary>
public sealed class RedisKeySlotTests
{
    public static TheoryData<string> Channels => new() { "chat:room-1", "feed:prices", "live:ticks", "chat:ünïcode-ß", "chat:a}b", "chat:{braces}" };

    [Theory]
    [MemberData(nameof(Channels))]
    public void EveryKeyOfAChannelIsInTheSlotOfItsSequenceCounter(string channel)
    {
        var slot = RedisSlots.Of(RedisKeys.Sequence(channel));

        Assert.Equal(slot, RedisSlots.Of(RedisKeys.History(channel)));
        Assert.Equal(slot, RedisSlots.Of(RedisKeys.Topic(channel)));
        Assert.Equal(slot, RedisSlots.Of(RedisKeys.Typing(channel, "alice")));
        Assert.Equal(slot, RedisSlots.Of(RedisKeys.Epoch(channel)));
    }

    [Fact]
    public void ChannelsSpreadOverTheSlotsInsteadOfSharingOne()
    {
        var slots = Enumerable.Range(0, 1000).Select(i => RedisSlots.Of(RedisKeys.Sequence($"chat:room-{i}"))).Distinct().Count();

        Assert.True(slots > 900, $"1000 channels in {slots} slots");
    }

    [Theory]
    // The cluster specification's CRC16 check value, and CLUSTER KEYSLOT answers from the Redis documentation.
    [InlineData("123456789", 0x31C3 % RedisSlots.Count)]
    [InlineData("somekey", 11058)]
    [InlineData("foo{hash_tag}", 2515)]
    [InlineData("{user1000}.following", 3443)]
    [InlineData("foo{}{bar}", 8363)]
    public void SlotsAreRedisClusterSlots(string key, int slot) => Assert.Equal(slot, RedisSlots.Of(key));

    [Fact]
    public void EverySlotHasATagThatHashesToIt()
    {
        for (var slot = 0; slot < RedisSlots.Count; slot++)
        {
            Assert.Equal(slot, RedisSlots.Of(RedisSlots.Tag(slot)));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => RedisSlots.Tag(RedisSlots.Count));
    }
}
