namespace RealtimeAspire.ConnectionService.Drain;

/// <summary>
/// On SIGTERM the host stops its services in reverse order: this one before the web server, so the drain runs
/// (and the host waits for it) while connections can still be served and told to reconnect.
/// </summary>
public sealed class DrainOnShutdown(DrainCoordinator drain) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => drain.DrainAsync(cancellationToken);
}
