using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.ConnectionService.Connections;

/// <summary>Section <c>Connections:Limits</c>: every per-connection and per-user bound.</summary>
public sealed class ConnectionLimitsOptions
{
    public const string SectionName = "Connections:Limits";

    /// <summary>Largest WebSocket message or HTTP publish body a client may send.</summary>
    [Range(64, 16 * 1024 * 1024)] public int MaxFrameBytes { get; set; } = 128 * 1024;

    /// <summary>Client frames per second per connection (token bucket refill); above it frames are refused.</summary>
    [Range(0.001, 1_000_000)] public double FramesPerSecond { get; set; } = 100;

    [Range(1, 1_000_000)] public int FrameBurst { get; set; } = 200;

    /// <summary>Refused frames in a row after which the connection is closed (policy violation).</summary>
    [Range(1, 1_000_000)] public int MaxRefusedFramesInARow { get; set; } = 50;

    [Range(1, 100_000)] public int MaxSubscriptions { get; set; } = 100;

    /// <summary>Connections one user may hold on one replica.</summary>
    [Range(1, 1_000_000)] public int MaxConnectionsPerUser { get; set; } = 20;

    /// <summary>Outbound frames queued for one connection; when full the connection is closed as a slow consumer.</summary>
    [Range(1, 1_000_000)] public int MaxQueuedFrames { get; set; } = 1024;
}
