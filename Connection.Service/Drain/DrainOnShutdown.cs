namespace RealtimeAspire.ConnectionService.Drain;

/// <summary>
/// On SIGTERM the drain must run while the server still serves: the web server stops before other hosted services
/// (it is registered last), and it would wait for the open WebSockets. <see cref="StoppingAsync"/> runs, and is
/// awaited, before any service stops.
/// </summary>
public sealed class DrainOnShutdown(DrainCoordinator drain) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken) => drain.DrainAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
