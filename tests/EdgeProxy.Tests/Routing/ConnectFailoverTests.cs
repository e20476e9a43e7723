using Microsoft.AspNetCore.Http;
using RealtimeAspire.EdgeProxy.Routing;
using RealtimeAspire.EdgeProxy.Telemetry;

namespace RealtimeAspire.EdgeProxy.Tests.Routing;

public sealed class ConnectFailoverTests
{
    [Theory]
    [InlineData("GET", null, true)]
    [InlineData("HEAD", null, true)]
    [InlineData("GET", 0L, true)]
    [InlineData("GET", 10L, false)]
    [InlineData("POST", null, false)]
    [InlineData("POST", 0L, false)]
    public void OnlyRequestsWithoutABodyAreReplayed(string method, long? contentLength, bool replayable)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = method;
        request.ContentLength = contentLength;

        Assert.Equal(replayable, ConnectFailover.IsReplayable(request));
    }

    [Fact]
    public void ChunkedBodyIsNeverReplayed()
    {
        var request = new DefaultHttpContext().Request;
        request.Method = "GET";
        request.Headers.TransferEncoding = "chunked";

        Assert.False(ConnectFailover.IsReplayable(request));
    }

    [Fact]
    public void WebSocketUpgradeIsRecognisedWithoutTheWebSocketMiddleware()
    {
        var request = new DefaultHttpContext().Request;
        request.Path = "/connect/ws";
        request.Headers.Upgrade = "websocket";
        request.Headers.Connection = "Upgrade";

        Assert.Equal(ProxiedTransport.WebSocket, ProxiedTransport.Of(request));
    }

    [Theory]
    [InlineData("/connect/sse", "text/event-stream", ProxiedTransport.ServerSentEvents)]
    [InlineData("/connect/anything", "text/event-stream", ProxiedTransport.ServerSentEvents)]
    [InlineData("/connect/poll", "application/json", ProxiedTransport.LongPoll)]
    [InlineData("/connect/info", "application/json", ProxiedTransport.Http)]
    public void TransportIsRecognisedFromTheRequest(string path, string accept, string transport)
    {
        var request = new DefaultHttpContext().Request;
        request.Path = path;
        request.Headers.Accept = accept;

        Assert.Equal(transport, ProxiedTransport.Of(request));
    }
}
