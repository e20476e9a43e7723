using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Drain;

/// <summary>
/// Graceful drain, on <c>POST /admin/drain</c> or SIGTERM: readiness turns unhealthy (the edge stops sending new
/// connections), new connections are refused with 503, every client gets <c>reconnect {afterMs}</c> with the
/// delays spread over the window, and whoever is still connected at its end is closed.
/// </summary>
public sealed class DrainCoordinator(ConnectionRegistry registry, IOptions<DrainOptions> options, TimeProvider time, ILogger<DrainCoordinator> logger)
    : IHealthCheck
{
    private readonly Lock _gate = new();
    private Task? _drain;

    public bool IsDraining => _drain is not null;

    /// <summary>Starts the drain once; later calls return the same drain.</summary>
    public Task DrainAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _drain ??= RunAsync(cancellationToken);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(IsDraining ? HealthCheckResult.Unhealthy("Draining: no new connections.") : HealthCheckResult.Healthy());

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var window = options.Value.Window;
        var connections = registry.All.ToArray();
        logger.DrainStarted(connections.Length, window.TotalSeconds);
        // Leave the last fifth of the window for the reconnects themselves.
        var spreadMs = Math.Max(1, (int)(window.TotalMilliseconds * 0.8));
        foreach (var connection in connections)
        {
            connection.TryEnqueue(ServerFrames.Reconnect(Random.Shared.Next(spreadMs), "drain"));
        }
        try
        {
            await WaitUntilEmptyAsync(window, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        var remaining = registry.All.ToArray();
        foreach (var connection in remaining)
        {
            connection.Close(CloseReason.Drain);
        }
        logger.DrainFinished(remaining.Length);
    }

    private async Task WaitUntilEmptyAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp();
        // Connections leave on their own schedule; check a few times a second until the window ends.
        while (registry.Count > 0 && time.GetElapsedTime(deadline) < window)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }
}
