using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.ConnectionService.Connections;

/// <summary>Section <c>Transports</c>: timings of the three transports.</summary>
public sealed class TransportOptions
{
    public const string SectionName = "Transports";

    /// <summary>WebSocket ping interval; a connection whose pong does not arrive within <see cref="KeepAliveTimeout"/> is closed.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>SSE comment heartbeat interval (keeps proxies from closing an idle stream).</summary>
    public TimeSpan SseHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>SSE <c>retry:</c> the browser waits before reconnecting.</summary>
    [Range(0, 600_000)] public int SseRetryMilliseconds { get; set; } = 2000;

    /// <summary>How long a long poll is held when nothing is waiting.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Most events one long-poll response carries; the cursor continues after the last one.</summary>
    [Range(1, 100_000)] public int PollMaxEvents { get; set; } = 500;

    /// <summary>Bounded wait for a WebSocket close handshake or a send loop to finish.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a connection closed as a slow consumer gets to read what is already on its way — the frames in the
    /// replica's, the edge's and the kernels' buffers — and then its close frame (WebSocket 1013) or final
    /// <c>event: error</c> (SSE), before it is aborted. Its queue is dropped at once, so the wait holds only socket
    /// buffers. Longer than <see cref="CloseTimeout"/>: a consumer is slow by definition, and an abort throws away
    /// the close frame waiting in the server's output buffer (the client would see 1006 or a reset).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SlowConsumerCloseTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
