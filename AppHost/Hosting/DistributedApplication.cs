using RealtimeAspire.Hosting.Orchestration;

namespace RealtimeAspire.Hosting;

/// <summary>The running topology: the orchestrator plus the dashboard's HTTP API, in one host.</summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly WebApplication _web;

    internal DistributedApplication(WebApplication web, string dashboardUrl)
    {
        _web = web;
        DashboardUrl = dashboardUrl;
    }

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    public IServiceProvider Services => _web.Services;

    public ResourceOrchestrator Orchestrator => _web.Services.GetRequiredService<ResourceOrchestrator>();

    public string DashboardUrl { get; }

    /// <summary>Runs until Ctrl+C or SIGTERM, then stops every resource, dependents first.</summary>
    public void Run() => _web.Run();

    public Task StartAsync(CancellationToken cancellationToken = default) => _web.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _web.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _web.DisposeAsync();
}
