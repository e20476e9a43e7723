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
    [InlineData("""{"type":"subscribe","since":-1}""", "wrong type")]
    public void RefusesMalformedFramesWithAReason(string json, string reason)
    {
        Assert.False(ClientFrame.TryParse(Encoding.UTF8.GetBytes(json), out var frame, out var error));
        Assert.Null(frame);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
