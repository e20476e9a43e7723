using RealtimeAspire.ConnectionService.Transports;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

public sealed class StreamPositionsTests
{
    [Fact]
    public void FormatsInChannelOrderAndParsesBack()
    {
        var token = StreamPositions.Format(new Dictionary<string, long> { ["feed:b"] = 7, ["chat:a"] = 41 });

        Assert.Equal("chat:a@41|feed:b@7", token);
        Assert.True(StreamPositions.TryParse(token, out var positions));
        Assert.Equal(41, positions["chat:a"]);
        Assert.Equal(7, positions["feed:b"]);
    }

    [Theory]
    [InlineData("chat:a")]
    [InlineData("chat:a@")]
    [InlineData("chat:a@-1")]
    [InlineData("chat:a@1|chat:a@2")]
    [InlineData("bad name@1")]
    [InlineData("chat:a@1|")]
    [InlineData("chat:a@9007199254740992")]
    public void RefusesMalformedTokens(string token) =>
        Assert.False(StreamPositions.TryParse(token, out _));

    [Fact]
    public void ChannelListDropsDuplicatesAndBlanksKeepingOrder() =>
        Assert.Equal(["chat:b", "chat:a"], StreamPositions.ParseChannelList(" chat:b,,chat:a,chat:b "));
}
