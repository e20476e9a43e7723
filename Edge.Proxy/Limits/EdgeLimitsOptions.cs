using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.EdgeProxy.Limits;

/// <summary>
/// Request size and slow-client limits on the edge's Kestrel: <c>Edge:Limits</c>. They guard plain requests;
/// none of them cuts a WebSocket (body limits and data rates do not apply once upgraded), an SSE stream or a held
/// long poll (GETs without a body; the response-rate check only runs while a write is pending).
/// </summary>
public sealed class EdgeLimitsOptions
{
    public const string SectionName = "Edge:Limits";

    /// <summary>Largest request body (publishes are far smaller; Kestrel's default is 30 MB).</summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>All request headers together, cookies and tokens included.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    [Range(1, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>Request line (method, path, query: tokens travel in the query for browsers).</summary>
    [Range(256, 1024 * 1024)]
    public int MaxRequestLineBytes { get; set; } = 16 * 1024;

    /// <summary>Slowloris: a client must have sent all its headers within this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle keep-alive connections are closed after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>Slow body uploads: below this rate (after the grace period) the request is aborted.</summary>
    [Range(1, 1024 * 1024)]
    public int MinRequestBodyBytesPerSecond { get; set; } = 240;

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Open TCP connections the edge accepts at most (null: unlimited). Beyond, new connections are refused.</summary>
    [Range(1, long.MaxValue)]
    public long? MaxConcurrentConnections { get; set; }

    /// <summary>WebSockets (upgraded connections) the edge holds at most (null: unlimited).</summary>
    [Range(1, long.MaxValue)]
    public long? MaxConcurrentUpgradedConnections { get; set; }
}
