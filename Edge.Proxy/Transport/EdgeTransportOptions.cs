namespace RealtimeAspire.EdgeProxy.Transport;

/// <summary>How the edge's Kestrel moves bytes between sockets and the proxy: <c>Edge:Transport</c>.</summary>
public sealed class EdgeTransportOptions
{
    public const string SectionName = "Edge:Transport";

    /// <summary>
    /// Kestrel's <c>SocketTransportOptions.UnsafePreferInlineScheduling</c>: a frame YARP writes to a client is sent on
    /// the thread that wrote it, and a frame read from a client continues on the thread that received it, instead of
    /// a hop to Kestrel's I/O queue and back to the thread pool for each. Safe here because nothing on the edge's
    /// request path blocks (docs/edge.md, "Per-frame cost"). False restores Kestrel's default.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;
}
