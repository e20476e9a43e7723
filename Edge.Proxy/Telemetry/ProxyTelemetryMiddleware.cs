using System.Diagnostics;
using Yarp.ReverseProxy.Forwarder;

namespace RealtimeAspire.EdgeProxy.Telemetry;

/// <summary>
/// Last step of the proxy pipeline, after load balancing has chosen the destination: counts the request by
/// route, destination and transport, keeps the active-stream gauge, counts upgrades, and spans the forwarding.
/// </summary>
public sealed class ProxyTelemetryMiddleware(RequestDelegate next, EdgeMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var route = context.GetRouteModel().Config.RouteId;
        var destination = proxy.AvailableDestinations is [var only] ? only.DestinationId : "none";
        var transport = ProxiedTransport.Of(context.Request);
        var stream = ProxiedTransport.IsStream(transport);

        using var activity = EdgeActivitySource.Instance.StartActivity("edge.proxy", ActivityKind.Internal);
        activity?.SetTag("edge.route", route);
        activity?.SetTag("edge.destination", destination);
        activity?.SetTag("edge.transport", transport);
        if (context.Features.Get<AffinityDecision>() is { } decision)
        {
            activity?.SetTag("edge.affinity", EdgeMetrics.OutcomeName(decision.Outcome));
        }

        metrics.Request(route, destination, transport);
        if (transport == ProxiedTransport.WebSocket)
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode == StatusCodes.Status101SwitchingProtocols)
                {
                    metrics.Upgrade(route, destination);
                }
                return Task.CompletedTask;
            });
        }
        if (stream)
        {
            metrics.StreamOpened(destination, transport);
        }
        try
        {
            await next(context);
        }
        finally
        {
            if (stream)
            {
                metrics.StreamClosed(destination, transport);
            }
            if (context.Features.Get<IForwarderErrorFeature>() is { } error)
            {
                activity?.SetStatus(ActivityStatusCode.Error, error.Error.ToString());
            }
        }
    }
}
