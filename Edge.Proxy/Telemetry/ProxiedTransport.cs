using Microsoft.AspNetCore.Http.Features;

namespace RealtimeAspire.EdgeProxy.Telemetry;

/// <summary>Which realtime transport a proxied request is, for metrics and tracing.</summary>
public static class ProxiedTransport
{
    public const string Http = "http";
    public const string WebSocket = "websocket";
    public const string ServerSentEvents = "sse";
    public const string LongPoll = "long-poll";

    public static string Of(HttpRequest request)
    {
        // The edge does not terminate WebSockets (no UseWebSockets): recognise the upgrade itself, HTTP/1.1 or HTTP/2.
        if (request.Headers.Upgrade.Any(value => string.Equals(value, "websocket", StringComparison.OrdinalIgnoreCase))
            || request.HttpContext.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true, Protocol: "websocket" })
        {
            return WebSocket;
        }
        if (request.Headers.Accept.Any(value => value is not null && value.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
            || request.Path.StartsWithSegments("/connect/sse"))
        {
            return ServerSentEvents;
        }
        return request.Path.StartsWithSegments("/connect/poll") ? LongPoll : Http;
    }

    public static bool IsStream(string transport) => transport is not Http;
}
