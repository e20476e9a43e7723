namespace RealtimeAspire.ConnectionService.Diagnostics;

/// <summary>Which part of the replica accepted a connection: the <c>accept.path</c> tag of <c>realtime.connections.opened</c>.</summary>
public static class AcceptPaths
{
    /// <summary>The Kestrel connection middleware took the connection's first request (WebSocket only).</summary>
    public const string ConnectionMiddleware = "connection_middleware";

    /// <summary>Kestrel's HTTP pipeline: an endpoint accepted the request.</summary>
    public const string HttpPipeline = "http_pipeline";
}
