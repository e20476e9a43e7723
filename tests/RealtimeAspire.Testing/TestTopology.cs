using RealtimeAspire.Hosting;
using RealtimeAspire.Hosting.Orchestration;
using RealtimeAspire.Hosting.Testing;

namespace RealtimeAspire.Testing;

/// <summary>
/// Our Aspire.Hosting.Testing: starts the topology that <c>AppHost/Program.cs</c> declares, in this process,
/// on free ports with a fresh data folder, and tears it all down (no process left) on dispose.
/// </summary>
public sealed class TestTopology : IAsyncDisposable
{
    private TestTopology(DistributedApplication application, string dataPath)
    {
        Application = application;
        DataPath = dataPath;
    }

    public DistributedApplication Application { get; }

    public ResourceOrchestrator Orchestrator => Application.Orchestrator;

    public string DataPath { get; }

    public static Task<TestTopology> StartAsync(CancellationToken cancellationToken) => StartAsync(new TestTopologyOptions(), cancellationToken);

    /// <summary>The whole topology of <c>AppHost/Program.cs</c>.</summary>
    public static async Task<TestTopology> StartAsync(TestTopologyOptions options, CancellationToken cancellationToken)
    {
        var dataPath = TestData.NewFolder("topology");
        var application = DistributedApplicationEntryPoint.Build(typeof(DistributedApplication).Assembly, Arguments(options, dataPath));
        await application.StartAsync(cancellationToken);
        return new TestTopology(application, dataPath);
    }

    /// <summary>A topology of the test's own making (a single resource, say), with the same test settings.</summary>
    public static async Task<TestTopology> StartAsync(TestTopologyOptions options, Action<DistributedApplicationBuilder> declare, CancellationToken cancellationToken)
    {
        var dataPath = TestData.NewFolder("topology");
        var builder = DistributedApplication.CreateBuilder(Arguments(options, dataPath));
        declare(builder);
        var application = builder.Build();
        await application.StartAsync(cancellationToken);
        return new TestTopology(application, dataPath);
    }

    /// <summary>Free ports, a fresh data folder, Development: what every test run of the AppHost gets.</summary>
    public static string[] Arguments(TestTopologyOptions options, string dataPath, int dashboardPort = 0)
    {
        var args = new List<string>
        {
            "--environment", "Development",
            $"--AppHost:DataPath={dataPath}",
            $"--AppHost:DashboardPort={dashboardPort}",
            "--Edge:Port=0",
        };
        if (options.ToolSearchPath is not null)
        {
            args.Add($"--AppHost:ToolSearchPath={options.ToolSearchPath}");
        }
        args.AddRange(options.Configuration.Select(kv => $"--{kv.Key}={kv.Value}"));
        return [.. args];
    }

    public ResourceInstance Instance(string name) =>
        Orchestrator.Instances.SingleOrDefault(i => i.Name == name)
        ?? throw new ArgumentException($"No resource instance named '{name}'. Known: {string.Join(", ", Orchestrator.Instances.Select(i => i.Name))}", nameof(name));

    public Uri Endpoint(string name) => Instance(name).Endpoints[0];

    public HttpClient CreateHttpClient(string name) => new() { BaseAddress = Endpoint(name) };

    public HttpClient CreateDashboardClient() => new() { BaseAddress = new Uri(Application.DashboardUrl) };

    public Task WaitForResourceHealthyAsync(string name, TimeSpan timeout) =>
        WaitAsync(() => Orchestrator.Find(name) is { Count: > 0 } all && all.All(i => i.State == ResourceState.Running && i.Health == HealthState.Healthy),
            timeout, $"'{name}' healthy", name);

    public Task WaitForAllHealthyAsync(TimeSpan timeout) =>
        WaitAsync(() => Orchestrator.Instances.All(i => i.State == ResourceState.Running && i.Health == HealthState.Healthy),
            timeout, "all resources healthy", null);

    public Task WaitForStateAsync(string name, ResourceState state, TimeSpan timeout) =>
        WaitAsync(() => Orchestrator.Find(name).All(i => i.State == state), timeout, $"'{name}' {state}", name);

    /// <summary>Waits on resource notifications (never a fixed sleep); on timeout, says what each resource was doing.</summary>
    public async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what, string? logsOf)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Orchestrator.Notifications.WaitUntilAsync(condition, cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.\n{Describe(logsOf)}");
        }
    }

    /// <summary>SIGKILL to one instance's process: a crash, as the reliability suite causes it.</summary>
    public int Kill(string name)
    {
        var pid = Instance(name).ProcessId ?? throw new InvalidOperationException($"'{name}' has no process.");
        Signals.Send(pid, Signals.Kill);
        return pid;
    }

    public string Describe(string? logsOf = null)
    {
        var states = string.Join('\n', Orchestrator.Instances.Select(i => $"  {i.Name}: {i.State} {i.Health} pid={i.ProcessId} restarts={i.Restarts}"));
        var logs = logsOf is null ? "" : "\n" + string.Join('\n', Orchestrator.Find(logsOf).SelectMany(i => i.Logs.Tail(40).Select(l => $"  [{i.Name}] {l}")));
        return states + logs;
    }

    public async ValueTask DisposeAsync()
    {
        await Application.StopAsync();
        await Application.DisposeAsync();
        TestData.Delete(DataPath);
    }
}
