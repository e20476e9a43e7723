using Yarp.ReverseProxy.Model;

namespace RealtimeAspire.EdgeProxy.RateLimiting;

/// <summary>The classes of traffic the edge limits, named on the routes (metadata <c>Edge.RateLimit</c>).</summary>
public static class RateLimitTraffic
{
    public const string MetadataKey = "Edge.RateLimit";

    /// <summary>Connection attempts: <c>/connect/*</c> (WebSocket upgrades, SSE, long polls).</summary>
    public const string Connect = "connect";

    /// <summary>HTTP publishes: <c>POST /api/channels/{channel}/messages</c>.</summary>
    public const string Publish = "publish";

    /// <summary>The traffic class of the route the request matched, or null when it is not limited.</summary>
    public static string? Of(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.Metadata is { } metadata
        && metadata.TryGetValue(MetadataKey, out var traffic)
            ? traffic
            : null;
}
