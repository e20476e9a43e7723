using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace RealtimeAspire.EdgeProxy.Routing;

/// <summary>YARP's client to the replicas, with a connect timeout short enough to fail over quickly (YARP's default is 15 s).</summary>
public sealed class EdgeForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger, IOptions<EdgeProxyOptions> options)
    : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectTimeout = options.Value.ConnectTimeout;
    }
}
