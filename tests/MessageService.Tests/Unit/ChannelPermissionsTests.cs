using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Auth;

namespace RealtimeAspire.MessageService.Tests.Unit;

public sealed class ChannelPermissionsTests
{
    private static ChannelPermissions For(string user, string[] subscribe, string[]? publish = null) => new(user, subscribe, publish ?? []);

    [Theory]
    [InlineData("chat:room-1", "chat:room-1", true)]
    [InlineData("chat:room-1", "chat:room-2", false)]
    [InlineData("chat:*", "chat:room-2", true)]
    [InlineData("chat:*", "chatter:room", false)]
    [InlineData("chat:*", "feed:scores", false)]
    [InlineData("*", "feed:scores", true)]
    [InlineData("chat:room*", "chat:room-1", false)]
    [InlineData("", "chat:room-1", false)]
    public void PatternsAreExactNamespaceWildcardsOrEverything(string pattern, string channel, bool allowed) =>
        Assert.Equal(allowed, For("alice", [pattern]).CanSubscribe(ChannelName.Parse(channel)));

    [Fact]
    public void AnyOfSeveralPatternsAllows()
    {
        var permissions = For("alice", ["feed:scores", "chat:*"]);

        Assert.True(permissions.CanSubscribe(ChannelName.Parse("feed:scores")));
        Assert.True(permissions.CanSubscribe(ChannelName.Parse("chat:x")));
        Assert.False(permissions.CanSubscribe(ChannelName.Parse("feed:news")));
    }

    [Fact]
    public void PrivateUserChannelsAreOnlyTheirOwners()
    {
        var alice = For("alice", ["*", "user:*", "user:bob"]);

        Assert.True(alice.CanSubscribe(ChannelName.Parse("user:alice")));
        Assert.False(alice.CanSubscribe(ChannelName.Parse("user:bob")));
        Assert.False(alice.CanSubscribe(ChannelName.Parse("user:carol")));
    }

    [Fact]
    public void PublishingUsesThePublishPatterns()
    {
        var permissions = For("alice", ["*"], ["chat:*"]);

        Assert.True(permissions.CanPublish(ChannelName.Parse("chat:room-1")));
        Assert.False(permissions.CanPublish(ChannelName.Parse("feed:scores")));
        Assert.False(For("alice", ["*"], ["*"]).CanPublish(ChannelName.Parse("user:bob")));
    }
}
