using Microsoft.Extensions.Options;
using RealtimeAspire.Hosting.Resources;

namespace RealtimeAspire.Hosting.Orchestration;

/// <summary>Runs every resource's instances, in dependency order, until the AppHost stops.</summary>
public sealed class ResourceOrchestrator : IHostedService, IDisposable
{
    private readonly IReadOnlyList<Resource> _resources;
    private readonly List<(ResourceInstance Instance, Task Loop)> _running = [];
    private readonly CancellationTokenSource _shutdown = new();
    private readonly string _dashboardUrl;

    public ResourceOrchestrator(
        DistributedApplicationModel model,
        IOptions<AppHostOptions> options,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider)
    {
        _resources = model.Resources;
        Options = options.Value;
        // A short category: these lines are the AppHost's console, one per state change.
        Log = loggerFactory.CreateLogger("resources");
        TimeProvider = timeProvider;
        _dashboardUrl = model.DashboardUrl;
        Instances = [.. _resources.SelectMany(r => Enumerable.Range(0, r.Replicas)
            .Select(i => new ResourceInstance(this, r, i, r is ProjectResource p ? [p.Endpoints[i]] : [])))];
        Notifications.InstanceChanged += RestartDependentsOnMovedConnectionString;
    }

    public AppHostOptions Options { get; }
    public ResourceNotifications Notifications { get; } = new();
    public IReadOnlyList<ResourceInstance> Instances { get; }
    internal ILogger Log { get; }
    internal TimeProvider TimeProvider { get; }
    internal ProcessLauncher Launcher { get; } = new();

    /// <summary>Instances by instance name (<c>connection-service-1</c>) or, for all replicas, resource name.</summary>
    public IReadOnlyList<ResourceInstance> Find(string name) =>
        [.. Instances.Where(i => i.Name == name || i.Resource.Name == name)];

    public bool IsHealthy(Resource resource) =>
        Instances.Where(i => i.Resource == resource.HealthOwner)
            .All(i => i.State == ResourceState.Running && i.Health == HealthState.Healthy);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var instance in Instances)
        {
            _running.Add((instance, Task.Run(() => instance.RunAsync(_shutdown.Token), CancellationToken.None)));
        }
        _ = AnnounceWhenAllHealthyAsync();
        return Task.CompletedTask;
    }

    /// <summary>Stops dependents before what they depend on: the reverse of the declaration order.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var resource in _resources.Reverse())
        {
            foreach (var (instance, _) in _running.Where(r => r.Instance.Resource == resource))
            {
                instance.Stop();
            }
            await Task.WhenAll(_running.Where(r => r.Instance.Resource == resource)
                .Select(r => r.Instance.WaitUntilDownAsync(cancellationToken)));
        }
        await _shutdown.CancelAsync();
        await Task.WhenAll(_running.Select(r => r.Loop));
    }

    public void Dispose()
    {
        // Registered both as itself and as a hosted service, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _shutdown.Cancel();
            _shutdown.Dispose();
            Launcher.Dispose();
            foreach (var resource in _resources.OfType<IDisposable>())
            {
                resource.Dispose();
            }
        }
    }

    private int _disposed;

    internal Task WaitForDependenciesAsync(Resource resource, CancellationToken cancellationToken) =>
        Notifications.WaitUntilAsync(() => resource.WaitsFor.All(IsHealthy), cancellationToken);

    internal IReadOnlyDictionary<string, string> ReferencedConnectionStrings(Resource resource) =>
        resource.References.OfType<IResourceWithConnectionString>()
            .Select(r => (r.ConnectionName, Value: r.GetConnectionString()))
            .Where(r => r.Value is not null)
            .ToDictionary(r => r.ConnectionName, r => r.Value!);

    /// <summary>
    /// The environment Aspire gives a project: connection strings, service endpoints, OpenTelemetry and URLs,
    /// so the services run unchanged under a real Aspire AppHost.
    /// </summary>
    internal Dictionary<string, string> ProjectEnvironment(ResourceInstance instance, string environmentName)
    {
        var resource = instance.Resource;
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = string.Join(';', instance.Endpoints.Select(e => e.ToString().TrimEnd('/'))),
            ["ASPNETCORE_ENVIRONMENT"] = environmentName,
            ["DOTNET_ENVIRONMENT"] = environmentName,
            ["OTEL_SERVICE_NAME"] = resource.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance.Replica}",
            // Services log through OpenTelemetry and the console; keep the console one line per entry for the dashboard.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        if (Options.OtlpEndpoint is { } otlp)
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        }
        if (environmentName == "Development")
        {
            env["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            env["OTEL_TRACES_SAMPLER"] = "always_on";
        }
        foreach (var (name, value) in ReferencedConnectionStrings(resource))
        {
            env[$"ConnectionStrings__{name}"] = value;
        }
        foreach (var project in resource.References.OfType<ProjectResource>())
        {
            for (var i = 0; i < project.Endpoints.Count; i++)
            {
                env[$"services__{project.Name}__http__{i}"] = project.Endpoints[i].ToString().TrimEnd('/');
            }
        }
        foreach (var (name, value) in resource.Environment)
        {
            env[name] = value();
        }
        return env;
    }

    /// <summary>
    /// A dependency whose address changed (the in-memory Kafka broker restarts on a new port) leaves its
    /// consumers pointing nowhere: restart those started with the old connection string.
    /// </summary>
    private void RestartDependentsOnMovedConnectionString(ResourceInstance changed)
    {
        if (changed.Health != HealthState.Healthy || changed.Resource is not IResourceWithConnectionString source)
        {
            return;
        }
        var current = source.GetConnectionString();
        foreach (var dependent in Instances.Where(i => i.Resource.References.Contains(changed.Resource)))
        {
            if (dependent.State is ResourceState.Running
                && dependent.ConnectionStringsAtStart.TryGetValue(source.ConnectionName, out var used)
                && used != current)
            {
                Log.DependencyMoved(dependent.Name, changed.Name);
                dependent.Restart();
            }
        }
    }

    private async Task AnnounceWhenAllHealthyAsync()
    {
        try
        {
            await Notifications.WaitUntilAsync(() => Instances.All(i => i.Health == HealthState.Healthy), _shutdown.Token);
            var edge = Instances.FirstOrDefault(i => i.Resource is ProjectResource { IsExternalEndpoint: true });
            Log.AllHealthy(edge?.Endpoints[0].ToString() ?? "(none)", _dashboardUrl);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
