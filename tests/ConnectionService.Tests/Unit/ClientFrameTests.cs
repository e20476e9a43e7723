using System.Text;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

public sealed class ClientFrameTests
{
    [Fact]
    public void ReadsEveryKnownFieldAndKeepsDataAsTheClientsRawJson()
    {
        var json = """{"type":"publish","id":7,"channel":"chat:a","since":41,"data":{"text":"hi","n":[1,2]},"extra":{"ignored":true}}"""u8;

        Assert.True(ClientFrame.TryParse(json, out var frame, out var error), error);

        Assert.Equal("publish", frame!.Type);
        Assert.Equal(7, frame.Id);
        Assert.Equal("chat:a", frame.Channel);
        Assert.Equal(41, frame.Since);
        Assert.Equal("""{"text":"hi","n":[1,2]}""", Encoding.UTF8.GetString(frame.Data.Span));
    }

    [Theory]
    [InlineData("{not json", "Malformed JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"channel":"chat:a"}""", "'type' is missing")]
    [InlineData("""{"type":5}""", "wrong type")]
    [InlineData("""{"type":"subscribe","id":"one"}""", "wrong type")]
    [InlineData("""{"type":"ping"} {"type":"ping"}""", "Malformed JSON")]
    [InlineData("""{"type":"subscribe","since":-1}""", "'since' must be a whole number")]
    [InlineData("""{"type":"subscribe","since":9007199254740992}""", "'since' must be a whole number")]
    public void RefusesMalformedFramesWithAReason(string json, string reason)
    {
        Assert.False(ClientFrame.TryParse(Encoding.UTF8.GetBytes(json), out var frame, out var error));
        Assert.Null(frame);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"subscribe","id":5,"channel":42}""", 5)]
    [InlineData("""{"type":"subscribe","id":6,"channel":"chat:a","since":"abc"}""", 6)]
    [InlineData("""{"type":"subscribe","since":-1,"id":8}""", 8)]
    [InlineData("""{"type":7,"id":7}""", 7)]
    [InlineData("""{"id":9,"channel":"chat:a"}""", 9)]
    [InlineData("""{"type":"ping","id":10,"data":[1,}""", 10)]
    public void KeepsTheIdOfARefusedFrameWhenItHadANumericOne(string json, long id)
    {
        Assert.False(ClientFrame.TryParse(Encoding.UTF8.GetBytes(json), out var frame, out _, out var readId));
        Assert.Null(frame);
        Assert.Equal(id, readId);
    }

    [Fact]
    public void AcceptsTheLargestPosition()
    {
        Assert.True(ClientFrame.TryParse("""{"type":"subscribe","since":9007199254740991}"""u8, out var frame, out var error), error);
        Assert.Equal(9_007_199_254_740_991L, frame!.Since);
    }
}
