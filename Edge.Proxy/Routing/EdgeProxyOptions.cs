using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.EdgeProxy.Routing;

/// <summary>Forwarding settings: <c>Edge:Proxy</c>.</summary>
public sealed class EdgeProxyOptions
{
    public const string SectionName = "Edge:Proxy";

    /// <summary>
    /// Idle time after which YARP cancels a proxied exchange. It resets on every byte and WebSocket frame, so
    /// WebSockets and SSE streams with heartbeats live for hours; it must exceed the longest silence a transport
    /// allows itself: the ~25 s long-poll hold and the heartbeat interval of SSE and WebSocket (YARP's default is 100 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long to wait for a replica to accept a TCP connection before trying another one.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Replicas tried for one idempotent request whose replica refused the connection.</summary>
    [Range(1, 10)]
    public int MaxConnectAttempts { get; set; } = 3;
}
