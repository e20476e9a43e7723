using System.Text;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Fanout;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.Contracts.Wire;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

public sealed class FanoutPayloadTests
{
    [Fact]
    public void PayloadRoundTripsPositionTimeKindAndFrame()
    {
        var payload = FanoutPayload.Create(42, 1_700_000_000_123, FrameKind.Typing, """{"type":"typing"}"""u8);

        Assert.True(FanoutPayload.TryParse(payload, out var message));
        Assert.Equal(42, message.Seq);
        Assert.Equal(1_700_000_000_123, message.PublishedAtMs);
        Assert.Equal(FrameKind.Typing, message.Kind);
        Assert.Equal("""{"type":"typing"}""", Encoding.UTF8.GetString(message.Frame.Span));
    }

    [Fact]
    public void ParsesWhatThePublishScriptWrites()
    {
        // The Lua script writes seq .. ' ' .. ts .. ' m\n' .. frame.
        var (prefix, suffix) = MessageFrame.Build("chat:a", "id1", "alice", 5, "\"hi\""u8.ToArray());
        var frame = Encoding.UTF8.GetString(prefix) + "17" + Encoding.UTF8.GetString(suffix);

        Assert.True(FanoutPayload.TryParse(Encoding.UTF8.GetBytes($"17 5 m\n{frame}"), out var message));

        Assert.Equal(17, message.Seq);
        Assert.Equal(FrameKind.Message, message.Kind);
        Assert.Equal("""{"type":"message","channel":"chat:a","msgId":"id1","from":"alice","ts":5,"data":"hi","seq":17}""", Encoding.UTF8.GetString(message.Frame.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x 1 m\n{}")]
    [InlineData("1 2\n{}")]
    [InlineData("1 2 mm\n{}")]
    public void RefusesForeignPayloads(string payload) =>
        Assert.False(FanoutPayload.TryParse(Encoding.UTF8.GetBytes(payload), out _));

    [Fact]
    public void MultiLineJsonBecomesOneLineWithTheSameValue()
    {
        var flat = MessageFrame.SingleLine("{\n  \"a\": \"x\\ny\"\r\n}"u8.ToArray());

        Assert.Equal("{   \"a\": \"x\\ny\"  }", Encoding.UTF8.GetString(flat.Span));
    }
}
