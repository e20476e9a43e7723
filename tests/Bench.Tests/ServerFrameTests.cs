using System.Text;
using RealtimeAspire.Bench.Clients;

namespace RealtimeAspire.Bench.Tests;

public class ServerFrameTests
{
    [Fact]
    public void ProductMessageFrameYieldsSequenceAndTimestamp()
    {
        var json = """{"type":"message","channel":"feed:a","msgId":"x","from":"u","ts":1,"data":{"s":42,"t":123456789,"p":"xx"},"seq":7}""";
        var frame = ServerFrame.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(new ServerFrame(FrameType.Message, 0, 42, 123456789), frame);
    }

    [Fact]
    public void ReferenceFrameWithoutTypeIsAMessage()
    {
        var frame = ServerFrame.Parse(Encoding.UTF8.GetBytes("""{"channel":"a","data":{"s":3,"t":9}}"""));
        Assert.Equal(FrameType.Message, frame.Type);
        Assert.Equal(3, frame.BenchSequence);
    }

    [Theory]
    [InlineData("""{"type":"ack","id":5,"seq":42,"msgId":"m"}""", "Ack", 5)]
    [InlineData("""{"type":"welcome","connectionId":"c","replica":"r","affinity":null}""", "Welcome", 0)]
    [InlineData("""{"type":"error","id":9,"code":"rate_limited","message":"m"}""", "Error", 9)]
    [InlineData("""{"type":"presence","channel":"c","joined":[{"a":1}],"left":[]}""", "Other", 0)]
    [InlineData("""not json""", "Other", 0)]
    public void OtherFramesAreClassified(string json, string type, long id)
    {
        var frame = ServerFrame.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(type, frame.Type.ToString());
        Assert.Equal(id, frame.Id);
    }

    [Fact]
    public void PayloadDataHasTheRequestedSizeAndRoundTrips()
    {
        var data = Payloads.Data(12, 345, 100);
        Assert.Equal(100, data.Length);
        var publish = Payloads.ReferencePublish("c", 12, 345, 100);
        var frame = ServerFrame.Parse(publish);
        Assert.Equal((12L, 345L), (frame.BenchSequence, frame.SentAt));
    }
}
