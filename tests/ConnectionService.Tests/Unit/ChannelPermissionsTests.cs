using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Auth;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

public sealed class ChannelPermissionsTests
{
    [Theory]
    [InlineData("*", "chat:a", true)]
    [InlineData("chat:*", "chat:a", true)]
    [InlineData("chat:*", "chatter:a", false)]
    [InlineData("chat:a", "chat:a", true)]
    [InlineData("chat:a", "chat:ab", false)]
    [InlineData("feed:*", "chat:a", false)]
    public void PatternsMatchExactChannelsNamespacesOrEverything(string pattern, string channel, bool allowed) =>
        Assert.Equal(allowed, new ChannelPermissions("alice", [pattern], [pattern]).CanSubscribe(ChannelName.Parse(channel)));

    [Fact]
    public void PrivateChannelsAreTheOwnersWhateverTheWildcards()
    {
        var alice = new ChannelPermissions("alice", ["*"], ["*"]);

        Assert.True(alice.CanSubscribe(ChannelName.Parse("user:alice")));
        Assert.False(alice.CanSubscribe(ChannelName.Parse("user:bob")));
        Assert.True(alice.CanPublish(ChannelName.Parse("user:alice")));
        Assert.False(alice.CanPublish(ChannelName.Parse("user:bob")));
    }

    [Fact]
    public void ABackendTokenNamingAPrivateChannelExactlyMayPublishToIt()
    {
        var notifier = new ChannelPermissions("notifier", [], ["user:bob"]);

        Assert.True(notifier.CanPublish(ChannelName.Parse("user:bob")));
        Assert.False(notifier.CanSubscribe(ChannelName.Parse("user:bob")));
    }

    [Theory]
    [InlineData("chat:room-1", true)]
    [InlineData("user:alice@example.com", false)]
    [InlineData("Chat:a", false)]
    [InlineData("chat:", false)]
    [InlineData(":a", false)]
    [InlineData("chat:a|b", false)]
    [InlineData("chat:a:b", true)]
    public void ChannelNamesAreNamespaceColonName(string value, bool valid) =>
        Assert.Equal(valid, ChannelName.TryParse(value, out _));
}
