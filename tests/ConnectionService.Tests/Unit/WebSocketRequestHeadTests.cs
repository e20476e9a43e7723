using System.Buffers;
using System.Text;
using RealtimeAspire.ConnectionService.Transports.WebSockets;
using static RealtimeAspire.ConnectionService.Transports.WebSockets.WebSocketRequestHead;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

/// <summary>What the connection middleware takes (a valid upgrade of /connect/ws) and what it leaves to Kestrel.</summary>
public sealed class WebSocketRequestHeadTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static string Upgrade(string target = "/connect/ws?access_token=t", string extra = "", string protocol = "Sec-WebSocket-Protocol: realtime.v1.json\r\n") =>
        $"GET {target} HTTP/1.1\r\nHost: replica\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Key}\r\n{protocol}{extra}\r\n";

    private static HeadStatus Read(string head, out WebSocketRequestHead? parsed, int max = 8192) =>
        TryRead(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(head)), max, out parsed);

    [Fact]
    public void AValidUpgradeIsTakenWithItsQueryHeadersKeyAndLength()
    {
        var head = Upgrade(extra: "X-Edge-Affinity: abc\r\nX-Forwarded-Host: edge\r\n");
        Assert.Equal(HeadStatus.Upgrade, Read(head + "\x81\x00", out var parsed));
        Assert.Equal("/connect/ws", parsed!.Path);
        Assert.Equal("?access_token=t", parsed.QueryString);
        Assert.Equal("abc", parsed.Headers["X-Edge-Affinity"].ToString());
        Assert.Equal(Key, parsed.Key);
        Assert.Equal(1, parsed.RequestedProtocols);
        Assert.Equal(head.Length, parsed.Length);
    }

    [Fact]
    public void AnUpgradeWithoutSubprotocolIsTaken()
    {
        Assert.Equal(HeadStatus.Upgrade, Read(Upgrade(protocol: ""), out var parsed));
        Assert.Equal(0, parsed!.RequestedProtocols);
    }

    [Fact]
    public void AHeadSplitAcrossSegmentsIsReadWhole()
    {
        var bytes = Encoding.ASCII.GetBytes(Upgrade());
        var first = new Segment(bytes.AsMemory(0, 20));
        var last = first.Append(bytes.AsMemory(20));
        Assert.Equal(HeadStatus.Upgrade, TryRead(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), 8192, out _));
    }

    [Theory]
    [InlineData("GET /connect/ws?acc")]
    [InlineData("GET /conn")]
    [InlineData("GE")]
    public void APartialHeadThatMayStillBeAnUpgradeWaitsForMore(string partial) => Assert.Equal(HeadStatus.Incomplete, Read(partial, out _));

    [Theory]
    [InlineData("GET /connect/sse?channels=a HTTP/1.1\r\nHost: r\r\n\r\n")]
    [InlineData("POST /connect/ws HTTP/1.1\r\nHost: r\r\n\r\n")]
    [InlineData("GET /health HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")]
    [InlineData("\x16\x03\x01\x02\x00")]
    public void OtherRequestsAreLeftToKestrelAtOnce(string head) => Assert.Equal(HeadStatus.NotOurs, Read(head, out _));

    [Theory]
    [InlineData("/connect/wsx")]
    [InlineData("/connect/ws/more")]
    [InlineData("/connect/%77s")]
    public void OtherPathsAreLeftToKestrel(string target) => Assert.Equal(HeadStatus.NotOurs, Read(Upgrade(target), out _));

    [Theory]
    [InlineData("Sec-WebSocket-Version: 13\r\n", "Sec-WebSocket-Version: 8\r\n")]
    [InlineData($"Sec-WebSocket-Key: {Key}\r\n", "Sec-WebSocket-Key: short\r\n")]
    [InlineData($"Sec-WebSocket-Key: {Key}\r\n", "")]
    [InlineData("Upgrade: websocket\r\n", "Upgrade: h2c\r\n")]
    [InlineData("Connection: keep-alive, Upgrade\r\n", "Connection: keep-alive\r\n")]
    [InlineData("Host: replica\r\n", "")]
    [InlineData("Host: replica\r\n", "Host: a\r\nHost: b\r\n")]
    [InlineData("Host: replica\r\n", "Host: replica\r\nContent-Length: 3\r\n")]
    [InlineData("Host: replica\r\n", "Host: replica\r\n folded\r\n")]
    [InlineData("Host: replica\r\n", "Host : replica\r\n")]
    [InlineData("Host: replica\r\n", "Host: r\u00e9plica\r\n")]
    [InlineData("HTTP/1.1\r\n", "HTTP/1.0\r\n")]
    [InlineData("Sec-WebSocket-Protocol: realtime.v1.json\r\n", "Sec-WebSocket-Protocol: other.v2\r\n")]
    public void AnInvalidOrUnusualUpgradeIsLeftToKestrel(string replaced, string with) =>
        Assert.Equal(HeadStatus.NotOurs, Read(Upgrade().Replace(replaced, with), out _));

    [Fact]
    public void AHeadLongerThanTheBoundIsLeftToKestrel()
    {
        var head = Upgrade(extra: $"Cookie: {new string('c', 600)}\r\n");
        Assert.Equal(HeadStatus.Upgrade, Read(head, out _, max: head.Length));
        Assert.Equal(HeadStatus.NotOurs, Read(head, out _, max: 512));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
