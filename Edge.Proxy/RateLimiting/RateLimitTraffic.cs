using Yarp.ReverseProxy.Model;

namespace RealtimeAspire.EdgeProxy.RateLimiting;

/// <summary>The classes of traffic the edge limits, named on the routes (metadata <c>Edge.RateLimit</c>).</summary>
public static class RateLimitTraffic
{
    public const string MetadataKey = "Edge.RateLimit";

    /// <summary>Connection attempts: <c>/connect/*</c> (WebSocket upgrades, SSE, first long polls).</summary>
    public const string Connect = "connect";

    /// <summary>HTTP publishes: <c>POST /api/channels/{channel}/messages</c>.</summary>
    public const string Publish = "publish";

    /// <summary>
    /// A long poll that continues a cursor (<c>GET /connect/poll?…&amp;cursor=…</c>): the next read of a connection
    /// already made, not a new one. A poller on a busy channel polls about once per batch of messages, far more
    /// often than anyone connects, so it has buckets of its own instead of spending connect permits.
    /// </summary>
    public const string Poll = "poll";

    public const string PollPath = "/connect/poll";
    public const string CursorParameter = "cursor";

    /// <summary>The traffic class the request is limited as, or null when it is not limited.</summary>
    public static string? Of(HttpContext context) => RouteTraffic(context) switch
    {
        Connect when IsPollContinuation(context.Request) => Poll,
        var traffic => traffic,
    };

    /// <summary>Whether the request matched the <c>connect</c> route (every transport, first or continued): the origin check applies.</summary>
    public static bool IsConnection(HttpContext context) => RouteTraffic(context) == Connect;

    public static bool IsPollContinuation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.Path.Equals(PollPath, StringComparison.OrdinalIgnoreCase)
        && request.Query.TryGetValue(CursorParameter, out var cursor) && !string.IsNullOrEmpty(cursor.ToString());

    private static string? RouteTraffic(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.Metadata is { } metadata
        && metadata.TryGetValue(MetadataKey, out var traffic)
            ? traffic
            : null;
}
