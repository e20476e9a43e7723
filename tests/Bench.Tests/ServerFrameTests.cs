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

    [Theory]
    [InlineData("""{"type":1,"target":"m","arguments":[{"s":42,"t":123456789,"p":"xx"}]}""", "Message", 42)]
    [InlineData("""{}""", "Welcome", 0)]
    [InlineData("""{"type":6}""", "Other", 0)]
    [InlineData("""{"type":7,"error":"closed","allowReconnect":false}""", "Other", 0)]
    [InlineData("""{"error":"Unsupported protocol"}""", "Other", 0)]
    [InlineData("""not json""", "Other", 0)]
    public void SignalRRecordsAreClassified(string json, string type, long sequence)
    {
        var frame = ServerFrame.ParseSignalR(Encoding.UTF8.GetBytes(json));
        Assert.Equal(type, frame.Type.ToString());
        Assert.Equal(sequence, frame.BenchSequence);
    }

    [Fact]
    public void ASignalRPublishIsOneRecordWhoseDataRoundTrips()
    {
        var publish = Payloads.SignalRPublish("c", 12, 345, 100);

        Assert.Equal(0x1E, publish[^1]);
        Assert.Single(publish, b => b == 0x1E);
        var text = Encoding.UTF8.GetString(publish.AsSpan(0, publish.Length - 1));
        Assert.StartsWith("""{"type":1,"target":"Publish","arguments":["c",{"s":12,"t":345,""", text, StringComparison.Ordinal);
        // What the hub sends on to the group carries the same data object as its one argument.
        var delivered = Encoding.UTF8.GetBytes($$"""{"type":1,"target":"m","arguments":[{{Payloads.Data(12, 345, 100)}}]}""");
        Assert.Equal((12L, 345L), (ServerFrame.ParseSignalR(delivered).BenchSequence, ServerFrame.ParseSignalR(delivered).SentAt));
    }
}
