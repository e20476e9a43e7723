using System.Net.Http;
using System.Net.Sockets;
using RealtimeAspire.EdgeProxy.Health;
using Yarp.ReverseProxy.Forwarder;

namespace RealtimeAspire.EdgeProxy.Tests.Health;

public sealed class FailedConnectsHealthPolicyTests
{
    [Fact]
    public void RefusedConnectionIsAFailedConnect()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(FailedConnectsHealthPolicy.IsFailedConnect(new ErrorFeature(ForwarderError.Request, refused)));
    }

    [Fact]
    public void SocketErrorDeeperInTheChainIsAFailedConnect()
    {
        var reset = new HttpRequestException("send failed", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)));

        Assert.True(FailedConnectsHealthPolicy.IsFailedConnect(new ErrorFeature(ForwarderError.Request, reset)));
    }

    [Fact]
    public void ClientGoingAwayOrSlowResponseSaysNothingAboutTheReplica()
    {
        Assert.False(FailedConnectsHealthPolicy.IsFailedConnect(null));
        Assert.False(FailedConnectsHealthPolicy.IsFailedConnect(new ErrorFeature(ForwarderError.RequestCanceled, new OperationCanceledException())));
        Assert.False(FailedConnectsHealthPolicy.IsFailedConnect(new ErrorFeature(ForwarderError.RequestTimedOut, new TimeoutException())));
        Assert.False(FailedConnectsHealthPolicy.IsFailedConnect(new ErrorFeature(ForwarderError.Request, new HttpRequestException(HttpRequestError.ResponseEnded, "ended"))));
    }

    private sealed record ErrorFeature(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;
}
