using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using RealtimeAspire.EdgeProxy.Health;
using RealtimeAspire.EdgeProxy.Telemetry;
using Yarp.ReverseProxy.Forwarder;

namespace RealtimeAspire.EdgeProxy.Routing;

/// <summary>
/// First step of the proxy pipeline. A replica that has just died, is shutting down or is draining refuses new
/// connections (TCP refused, or 503) before the health checks notice; a request without a body (every connect:
/// WebSocket upgrade, SSE, long poll) is then sent again through affinity and load balancing without that
/// replica, so the client gets a working connection (with a new affinity key) instead of a 502/503, and no new
/// connection lands on a draining replica from the moment it refuses. Requests with a body are never replayed.
/// </summary>
public sealed class ConnectFailover(RequestDelegate next, IOptions<EdgeProxyOptions> options, EdgeMetrics metrics, ILogger<ConnectFailover> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (IsReplayable(context.Request))
        {
            await ForwardWithFailoverAsync(context);
        }
        else
        {
            await next(context);
        }

        // Every replica is down or draining: the edge's own 503 tells clients when to come back.
        if (!context.Response.HasStarted && context.Features.Get<IForwarderErrorFeature>() is { Error: ForwarderError.NoAvailableDestinations })
        {
            context.Response.Headers.RetryAfter = "1";
        }
    }

    private async Task ForwardWithFailoverAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        for (var attempt = 1; ; attempt++)
        {
            var state = new FailoverAttempt { CanRetry = attempt < options.Value.MaxConnectAttempts && candidates.Count > 1 };
            context.Features.Set(state);
            await next(context);

            if (!state.CanRetry
                || context.Response.HasStarted
                || !(state.ReplicaUnavailable || FailedConnectsHealthPolicy.IsFailedConnect(context.Features.Get<IForwarderErrorFeature>()))
                || proxy.ProxiedDestination is not { } failed)
            {
                return;
            }
            var remaining = candidates.Where(d => !ReferenceEquals(d, failed)).ToArray();
            if (remaining.Length == 0)
            {
                return;
            }

            RoutingLog.FailingOver(logger, failed.DestinationId, state.ReplicaUnavailable ? "answered 503" : "refused the connection", attempt);
            metrics.Failover(failed.DestinationId);
            candidates = remaining;
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            proxy.AvailableDestinations = candidates;
            proxy.ProxiedDestination = null;
        }
    }

    /// <summary>
    /// Response transform: a 503 from a replica while another can be tried is not sent to the client; the
    /// attempt is marked so that the request is re-sent and passive health takes the replica out.
    /// </summary>
    public static ValueTask MarkUnavailableReplica(Yarp.ReverseProxy.Transforms.ResponseTransformContext context)
    {
        if (context.ProxyResponse?.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable
            && context.HttpContext.Features.Get<FailoverAttempt>() is { CanRetry: true } attempt)
        {
            attempt.ReplicaUnavailable = true;
            context.SuppressResponseBody = true;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Nothing of the request has been read when a connect fails: GET/HEAD without a body (an HTTP/1.1 WebSocket
    /// upgrade is a GET), or an HTTP/2 WebSocket (extended CONNECT), whose stream is only read once upgraded.
    /// </summary>
    public static bool IsReplayable(HttpRequest request) =>
        ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && request.ContentLength is null or 0
            && !request.Headers.ContainsKey("Transfer-Encoding"))
        || request.HttpContext.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true };
}
