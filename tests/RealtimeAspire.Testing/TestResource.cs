using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RealtimeAspire.AppHost.Topology;

namespace RealtimeAspire.Testing;

/// <summary>One resource of a running test topology: its state, health, process, endpoint and logs, and the commands a test gives it.</summary>
public sealed class TestResource(TestTopology topology, IResource resource, LogBuffer logs)
{
    public IResource Resource { get; } = resource;

    public string Name => Resource.Name;

    public LogBuffer Logs { get; } = logs;

    public CustomResourceSnapshot? Snapshot => topology.States[Name];

    public string? State => Snapshot?.State?.Text;

    public bool IsRunning => State == KnownResourceStates.Running;

    public HealthStatus? Health => Snapshot?.HealthStatus;

    public bool IsHealthy => IsRunning && Health == HealthStatus.Healthy;

    /// <summary>The pid Aspire reports: for a project, its <c>dotnet run</c>.</summary>
    public int? LauncherProcessId => Snapshot is { } snapshot ? ResourceProcesses.LauncherPid(snapshot) : null;

    /// <summary>The process that serves (<see cref="ResourceProcesses.ServingPid"/>).</summary>
    public int? ProcessId => Snapshot is { } snapshot ? ResourceProcesses.ServingPid(Resource, snapshot) : null;

    /// <summary>Restarts after a failure by the AppHost's <see cref="RestartOnFailure"/> (0 where it is not in use).</summary>
    public int Restarts => topology.RestartOnFailure?.RestartsOf(Name) ?? 0;

    public Uri Endpoint => Aspire.Hosting.Testing.DistributedApplicationHostingTestingExtensions.GetEndpoint(topology.Application, Name, Resource is ProjectResource ? "http" : "tcp");

    /// <summary>
    /// Waits until the resource's console shows a line matching <paramref name="match"/>: console lines reach the test
    /// through DCP's log stream, a moment after what they report has happened.
    /// </summary>
    public Task WaitForLogAsync(Func<string, bool> match, TimeSpan timeout, string what) =>
        BoundedWait.UntilAsync(() => Task.FromResult(Logs.Tail(int.MaxValue).Any(match)), timeout, $"{Name} to log {what}",
            describe: () => Task.FromResult(string.Join('\n', Logs.Tail(40))));

    public async Task<string?> ConnectionStringAsync() =>
        Resource is IResourceWithConnectionString withConnectionString
            ? await withConnectionString.ConnectionStringExpression.GetValueAsync(CancellationToken.None)
            : throw new InvalidOperationException($"'{Name}' has no connection string.");

    public Task StopAsync() => ExecuteAsync(KnownResourceCommands.StopCommand);

    public Task StartAsync() => ExecuteAsync(KnownResourceCommands.StartCommand);

    public Task RestartAsync() => ExecuteAsync(KnownResourceCommands.RestartCommand);

    public async Task ExecuteAsync(string command)
    {
        var result = await topology.Commands.ExecuteCommandAsync(Resource, command, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));
        if (!result.Success)
        {
            throw new InvalidOperationException($"'{command}' on '{Name}' failed: {result.Message}");
        }
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {State ?? "?"} {Health?.ToString() ?? "-"} pid={ProcessId} restarts={Restarts}");
}
