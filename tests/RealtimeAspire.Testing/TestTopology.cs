using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.AppHost.Topology;

namespace RealtimeAspire.Testing;

/// <summary>
/// A topology on Aspire.Hosting.Testing: the AppHost's own (<c>AppHost/Program.cs</c>) or one a test declares with the
/// same hosting extensions, on ports Aspire picks, with a fresh data folder (so fresh generated secrets: a test never
/// touches a developer's), and torn down with no process left on dispose.
/// </summary>
public sealed class TestTopology : IAsyncDisposable
{
    private readonly Dictionary<string, LogBuffer> _logs = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _logWatchers = [];

    private TestTopology(DistributedApplication application, string dataPath)
    {
        Application = application;
        DataPath = dataPath;
        States = new ResourceStates(application.Services.GetRequiredService<ResourceNotificationService>());
        Commands = application.Services.GetRequiredService<ResourceCommandService>();
        RestartOnFailure = application.Services.GetService<RestartOnFailure>();
        var model = application.Services.GetRequiredService<DistributedApplicationModel>();
        var logger = application.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in model.Resources)
        {
            var buffer = _logs[resource.Name] = new LogBuffer();
            _logWatchers.Add(WatchLogsAsync(logger, resource, buffer, _stop.Token));
        }
        Resources = model.Resources.ToDictionary(r => r.Name, r => new TestResource(this, r, _logs[r.Name]));
    }

    public DistributedApplication Application { get; }

    public string DataPath { get; }

    public ResourceStates States { get; }

    public ResourceCommandService Commands { get; }

    public RestartOnFailure? RestartOnFailure { get; }

    public IReadOnlyDictionary<string, TestResource> Resources { get; }

    public static Task<TestTopology> StartAsync(CancellationToken cancellationToken) => StartAsync(new TestTopologyOptions(), cancellationToken);

    /// <summary>The whole topology of <c>AppHost/Program.cs</c>.</summary>
    public static async Task<TestTopology> StartAsync(TestTopologyOptions options, CancellationToken cancellationToken)
    {
        var dataPath = TestData.NewFolder("topology");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(Arguments(options, dataPath), cancellationToken);
        return await StartAsync(builder, options, dataPath, cancellationToken);
    }

    /// <summary>A topology of the test's own making (Redis alone, say), declared with the AppHost's hosting extensions.</summary>
    public static async Task<TestTopology> StartAsync(TestTopologyOptions options, Action<IDistributedApplicationTestingBuilder, DevelopmentSecrets> declare, CancellationToken cancellationToken)
    {
        var dataPath = TestData.NewFolder("topology");
        var builder = DistributedApplicationTestingBuilder.Create(Arguments(options, dataPath));
        declare(builder, builder.AddDevelopmentSecrets());
        return await StartAsync(builder, options, dataPath, cancellationToken);
    }

    private static async Task<TestTopology> StartAsync(IDistributedApplicationTestingBuilder builder, TestTopologyOptions options, string dataPath, CancellationToken cancellationToken)
    {
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var resource = builder.CreateResourceBuilder(project);
            // The test host runs no dashboard: an exporter pointed at its dead port only slows every stop down.
            resource.WithEnvironment(context =>
            {
                context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
                if (options.Environment.TryGetValue(project.Name, out var variables))
                {
                    foreach (var (key, value) in variables)
                    {
                        context.EnvironmentVariables[key] = value;
                    }
                }
            });
        }
        foreach (var name in options.Environment.Keys.Where(n => !builder.Resources.Any(r => r.Name == n && r is ProjectResource)))
        {
            throw new ArgumentException($"No project resource named '{name}' to give environment variables to.", nameof(options));
        }
        var application = await builder.BuildAsync(cancellationToken);
        try
        {
            await application.StartAsync(cancellationToken);
        }
        catch
        {
            await application.DisposeAsync();
            throw;
        }
        return new TestTopology(application, dataPath);
    }

    /// <summary>Ports Aspire picks, a fresh data folder, Development: what every test run of the AppHost gets.</summary>
    public static string[] Arguments(TestTopologyOptions options, string dataPath)
    {
        var args = new List<string>
        {
            "--environment=Development",
            $"--Realtime:DataPath={dataPath}",
            "--Edge:Port=0",
        };
        if (options.ToolSearchPath is not null)
        {
            args.Add($"--Realtime:ToolSearchPath={options.ToolSearchPath}");
        }
        args.AddRange(options.Configuration.Select(kv => $"--{kv.Key}={kv.Value}"));
        return [.. args];
    }

    public TestResource Instance(string name) =>
        Resources.TryGetValue(name, out var resource)
            ? resource
            : throw new ArgumentException($"No resource named '{name}'. Known: {string.Join(", ", Resources.Keys.Order())}", nameof(name));

    /// <summary>The resource named <paramref name="name"/>, or all replicas of a group (<c>connection-service</c> → <c>connection-service-0..n</c>).</summary>
    public IReadOnlyList<TestResource> Find(string name) =>
        Resources.TryGetValue(name, out var one)
            ? [one]
            : [.. Resources.Values.Where(r => r.Name.StartsWith(name + "-", StringComparison.Ordinal) && int.TryParse(r.Name[(name.Length + 1)..], out _)).OrderBy(r => r.Name, StringComparer.Ordinal)];

    /// <summary>What the tests deal with: services and infrastructure, not parameters or Aspire's hidden helpers.</summary>
    public IEnumerable<TestResource> Workload =>
        Resources.Values.Where(r => r.Resource is not ParameterResource && r.Snapshot?.IsHidden != true && !r.Name.EndsWith("-rebuilder", StringComparison.Ordinal));

    public Uri Endpoint(string name) => Instance(name).Endpoint;

    public HttpClient CreateHttpClient(string name) => new() { BaseAddress = Endpoint(name) };

    public Task WaitForResourceHealthyAsync(string name, TimeSpan timeout) =>
        WaitAsync(() => Find(name) is { Count: > 0 } all && all.All(r => r.IsHealthy), timeout, $"'{name}' healthy", name);

    public Task WaitForAllHealthyAsync(TimeSpan timeout) =>
        WaitAsync(() => Workload.All(r => r.IsHealthy), timeout, "all resources healthy", null);

    public Task WaitForStateAsync(string name, string state, TimeSpan timeout) =>
        WaitAsync(() => Find(name).All(r => r.State == state), timeout, $"'{name}' {state}", name);

    /// <summary>Waits on resource notifications (never a fixed sleep); on timeout, says what each resource was doing.</summary>
    public async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what, string? logsOf)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await States.WaitUntilAsync(condition, cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.\n{Describe(logsOf)}");
        }
    }

    /// <summary>SIGKILL to the serving process of one resource: a crash, as the reliability suite causes it.</summary>
    public int Kill(string name)
    {
        var pid = Instance(name).ProcessId ?? throw new InvalidOperationException($"'{name}' has no process.");
        System.Diagnostics.Process.GetProcessById(pid).Kill();
        return pid;
    }

    public string Describe(string? logsOf = null)
    {
        var states = string.Join('\n', Workload.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => "  " + r));
        var logs = logsOf is null ? "" : "\n" + string.Join('\n', Find(logsOf).SelectMany(r => r.Logs.Tail(40).Select(l => $"  [{r.Name}] {l}")));
        return states + logs;
    }

    private static async Task WatchLogsAsync(ResourceLoggerService logger, IResource resource, LogBuffer buffer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in logger.WatchAsync(resource).WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    buffer.Add(line.Content);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_logWatchers);
        await States.DisposeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await Application.StopAsync(timeout.Token);
        }
        finally
        {
            await Application.DisposeAsync();
            TestData.Delete(DataPath);
            _stop.Dispose();
        }
    }
}
