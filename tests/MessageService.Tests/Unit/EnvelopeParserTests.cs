using System.Text;
using RealtimeAspire.MessageService.Consumers;
using RealtimeAspire.MessageService.Gaps;

namespace RealtimeAspire.MessageService.Tests.Unit;

public sealed class EnvelopeParserTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void AValidEnvelopeKeepsDataVerbatimAndTheTraceContext()
    {
        var json = """{"msgId":"m1","channel":"chat:a","seq":42,"from":"alice","ts":1732540000000,"data":{"b":1, "a":[true,null]},"traceParent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","traceState":"k=v"}""";

        Assert.True(EnvelopeParser.TryParse("chat:a", Utf8(json), out var message, out var reason), reason);

        Assert.Equal(("chat:a", 42L, "m1", "alice", 1732540000000L), (message.Channel, message.Seq, message.MsgId, message.From, message.Ts));
        Assert.Equal("""{"b":1, "a":[true,null]}""", message.Data);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", message.TraceParent);
        Assert.Equal("k=v", message.TraceState);
    }

    [Theory]
    [InlineData("not json", "invalid-json")]
    [InlineData("", "invalid-json")]
    [InlineData("null", "invalid-envelope")]
    [InlineData("""{"msgId":"m1","seq":1,"from":"a","ts":1,"data":1}""", "invalid-envelope: channel")]
    [InlineData("""{"msgId":"m1","channel":"nonamespace","seq":1,"from":"a","ts":1,"data":1}""", "invalid-envelope: channel")]
    [InlineData("""{"msgId":"m1","channel":"chat:a","from":"a","ts":1,"data":1}""", "invalid-envelope: seq")]
    [InlineData("""{"channel":"chat:a","seq":1,"from":"a","ts":1,"data":1}""", "invalid-envelope: msgId")]
    [InlineData("""{"msgId":"m1","channel":"chat:a","seq":1,"ts":1,"data":1}""", "invalid-envelope: from")]
    [InlineData("""{"msgId":"m1","channel":"chat:a","seq":1,"from":"a","data":1}""", "invalid-envelope: ts")]
    [InlineData("""{"msgId":"m1","channel":"chat:a","seq":1,"from":"a","ts":1}""", "invalid-envelope: data")]
    [InlineData("""{"msgId":"m1","channel":"chat:a","seq":"one","from":"a","ts":1,"data":1}""", "invalid-json")]
    public void AnUnprocessableRecordSaysWhy(string json, string reasonPrefix)
    {
        Assert.False(EnvelopeParser.TryParse("chat:a", Utf8(json), out _, out var reason));
        Assert.StartsWith(reasonPrefix, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyThatIsNotTheChannelIsRefused()
    {
        var json = """{"msgId":"m1","channel":"chat:a","seq":1,"from":"a","ts":1,"data":1}""";

        Assert.False(EnvelopeParser.TryParse("chat:b", Utf8(json), out _, out var reason));
        Assert.Contains("key", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ARedisHistoryFrameParsesIntoTheSameMessage()
    {
        var frame = """{"type":"message","channel":"chat:a","msgId":"m42","from":"alice","ts":1732540000000,"data":{"text":"hi"},"seq":42}""";

        Assert.True(RedisHistoryReader.TryParseFrame("chat:a", Utf8(frame), out var message));
        Assert.Equal(("chat:a", 42L, "m42", "alice", 1732540000000L, """{"text":"hi"}"""), (message.Channel, message.Seq, message.MsgId, message.From, message.Ts, message.Data));
        Assert.False(RedisHistoryReader.TryParseFrame("chat:b", Utf8(frame), out _));
        Assert.False(RedisHistoryReader.TryParseFrame("chat:a", Utf8("""{"type":"typing","channel":"chat:a"}"""), out _));
    }
}
