using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.ConnectionService.Transports.WebSockets;

/// <summary>
/// Section <c>Transports:WebSocketAccept</c>: where a WebSocket connect is accepted. By default a Kestrel connection
/// middleware (<see cref="WebSocketConnectionAccept"/>) takes a new connection's first request when it is a valid
/// <c>GET /connect/ws</c> upgrade that will be admitted, so the socket keeps none of the HTTP request's state; every
/// other request, refusals included, goes on to Kestrel's HTTP pipeline and <see cref="WebSocketEndpoint"/>.
/// </summary>
public sealed class WebSocketAcceptOptions
{
    public const string SectionName = "Transports:WebSocketAccept";

    public const int DefaultMaxHeadBytes = 8 * 1024;

    /// <summary>False: every WebSocket is accepted by the HTTP pipeline (for a proxy setup the connection middleware does not suit).</summary>
    public bool ConnectionMiddleware { get; set; } = true;

    /// <summary>A first request whose head is longer is left to Kestrel, which enforces its own header limits.</summary>
    [Range(256, 64 * 1024)]
    public int MaxHeadBytes { get; set; } = DefaultMaxHeadBytes;

    /// <summary>How long the middleware waits for a new connection's request head before leaving it to Kestrel.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan HeadTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
