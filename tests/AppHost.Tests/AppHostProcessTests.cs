using System.Diagnostics;
using System.Text.Json;
using RealtimeAspire.AppHost.Topology;
using RealtimeAspire.Testing;

namespace RealtimeAspire.AppHost.Tests;

/// <summary>
/// The AppHost as a user runs it, in a process of its own: it prints the dashboard's login link, brings every resource
/// up, and whether stopped with Ctrl+C or SIGTERM or killed outright, leaves no process of ours behind within 30 s.
/// </summary>
[Collection(nameof(AppHostProcessTests))]
public sealed class AppHostProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan GoneWithin = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("SIGINT")]
    [InlineData("SIGKILL")]
    public async Task TheAppHostPrintsTheLoginLinkAndLeavesNoProcessWhenStopped(string signal)
    {
        await using var host = AppHostProcess.Start();
        var processes = await host.WaitForAllHealthyAsync(StartTimeout);
        Assert.Contains(host.Output, line => line.Contains("/login?t=", StringComparison.Ordinal));
        Assert.True(processes.Count >= 10, string.Join(", ", processes));

        Process.Start("kill", [$"-{signal[3..]}", host.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await host.Process.WaitForExitAsync(new CancellationTokenSource(GoneWithin).Token);

        await BoundedWait.UntilAsync(() => Task.FromResult(!processes.Any(IsAlive)), GoneWithin,
            "every process of the AppHost gone", describe: () => Task.FromResult(string.Join("\n", processes.Where(IsAlive).Select(ProcessTree.CommandLine))));
    }

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);

    private sealed class AppHostProcess : IAsyncDisposable
    {
        private readonly string _dataPath;
        private readonly List<string> _output = [];

        private AppHostProcess(Process process, string dataPath)
        {
            Process = process;
            _dataPath = dataPath;
        }

        public Process Process { get; }

        public IReadOnlyList<string> Output
        {
            get
            {
                lock (_output)
                {
                    return [.. _output];
                }
            }
        }

        /// <summary>The built AppHost with the dashboard on (ports of its own) and a fresh data folder.</summary>
        public static AppHostProcess Start()
        {
            var dataPath = TestData.NewFolder("apphost-process");
            var appHost = typeof(Projects.AppHost).Assembly.Location;
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(appHost)! };
            info.ArgumentList.Add(appHost);
            foreach (var argument in TestTopology.Arguments(new TestTopologyOptions(), dataPath))
            {
                info.ArgumentList.Add(argument);
            }
            info.Environment["ASPNETCORE_URLS"] = $"http://localhost:{LocalInfrastructure.PortAllocator.GetFreePort()}";
            info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{LocalInfrastructure.PortAllocator.GetFreePort()}";
            info.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
            var process = Process.Start(info)!;
            var host = new AppHostProcess(process, dataPath);
            process.OutputDataReceived += (_, e) => host.Add(e.Data);
            process.ErrorDataReceived += (_, e) => host.Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return host;
        }

        private void Add(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.Add(line);
                }
            }
        }

        /// <summary>
        /// Reads the AppHost's resource inventory until every resource is healthy; returns every process of the run:
        /// the resources', their children (a project's service under its <c>dotnet run</c>), DCP's and the dashboard's.
        /// </summary>
        public async Task<IReadOnlyList<int>> WaitForAllHealthyAsync(TimeSpan timeout)
        {
            var inventory = Path.Combine(_dataPath, ResourceInventoryExtensions.FileName);
            List<int> pids = [];
            await BoundedWait.UntilAsync(async () =>
            {
                if (Process.HasExited || !File.Exists(inventory))
                {
                    return Process.HasExited ? throw new InvalidOperationException($"The AppHost exited with {Process.ExitCode}.") : false;
                }
                var resources = JsonSerializer.Deserialize<ResourceInventoryFile.InventoryEntry[]>(await File.ReadAllTextAsync(inventory), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
                var workload = resources.Where(r => r.ResourceType is not "Parameter" && !r.Name.EndsWith("-rebuilder", StringComparison.Ordinal)).ToList();
                pids = [.. workload.Where(r => r.Pid is not null).SelectMany(r => ProcessTree.SelfAndDescendants(r.Pid!.Value))];
                return workload.Count >= 10 && workload.All(r => r.State == "Running" && r.Health == "Healthy");
            }, timeout, "every resource healthy", isTransient: ex => ex is JsonException or IOException,
                describe: () => Task.FromResult(string.Join('\n', Output.TakeLast(60))));
            return [.. pids, .. ProcessTree.SelfAndDescendants(Process.Id).Skip(1)];
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }
            Process.Dispose();
            TestData.Delete(_dataPath);
        }
    }
}

[CollectionDefinition(nameof(AppHostProcessTests), DisableParallelization = true)]
public sealed class AppHostProcessCollection;
