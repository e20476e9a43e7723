using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeAspire.Hosting.Orchestration;
using RealtimeAspire.Testing;

namespace RealtimeAspire.Hosting.Tests;

/// <summary>
/// The AppHost as a user runs it, in a process of its own: it brings every resource up, and whether stopped with
/// Ctrl+C or killed outright, it leaves no process behind.
/// </summary>
[Collection(nameof(AppHostProcessTests))]
public sealed class AppHostProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task CtrlCStopsEveryResourceAndLeavesNoProcess()
    {
        await using var host = await AppHostProcess.StartAsync(new TestTopologyOptions());
        var children = await host.WaitForAllHealthyAsync(Timeout);
        Assert.Equal(9, children.Count);

        Signals.Send(host.Process.Id, Signals.Int);
        await host.Process.WaitForExitAsync(new CancellationTokenSource(Timeout).Token);

        Assert.Equal(0, host.Process.ExitCode);
        Assert.DoesNotContain(children, IsAlive);
    }

    [Fact]
    public async Task KilledAppHostTakesItsChildrenWithItUsingGarnetWhenRedisServerIsAbsent()
    {
        await using var host = await AppHostProcess.StartAsync(new TestTopologyOptions { ToolSearchPath = TestData.NewFolder("no-tools") });
        var children = await host.WaitForAllHealthyAsync(Timeout);
        Assert.Contains(children, pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("GarnetServer.dll", StringComparison.Ordinal));

        Signals.Send(host.Process.Id, Signals.Kill);
        await host.Process.WaitForExitAsync(new CancellationTokenSource(Timeout).Token);

        // The kernel delivers the parent-death signal as the AppHost dies; allow the children a moment to go.
        await WaitUntilAsync(() => !children.Any(IsAlive), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(children, IsAlive);
    }

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < timeout)
        {
            await Task.Delay(50);
        }
    }

    private sealed class AppHostProcess : IAsyncDisposable
    {
        private readonly string _dataPath;
        private readonly HttpClient _dashboard;
        private readonly List<string> _output = [];

        private AppHostProcess(Process process, string dataPath, int dashboardPort)
        {
            Process = process;
            _dataPath = dataPath;
            _dashboard = new HttpClient { BaseAddress = new Uri($"http://localhost:{dashboardPort}") };
        }

        public Process Process { get; }

        public static Task<AppHostProcess> StartAsync(TestTopologyOptions options)
        {
            var dataPath = TestData.NewFolder("apphost-process");
            var dashboardPort = PortAllocator.GetFreePort();
            var appHost = Path.Combine(BuildInfo.RepositoryRoot, "AppHost", "bin", BuildInfo.Configuration, "net10.0", "AppHost.dll");
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(appHost)! };
            info.ArgumentList.Add(appHost);
            foreach (var argument in TestTopology.Arguments(options, dataPath, dashboardPort))
            {
                info.ArgumentList.Add(argument);
            }
            var process = Process.Start(info)!;
            var host = new AppHostProcess(process, dataPath, dashboardPort);
            process.OutputDataReceived += (_, e) => { lock (host._output) { if (e.Data is not null) { host._output.Add(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { lock (host._output) { if (e.Data is not null) { host._output.Add(e.Data); } } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return Task.FromResult(host);
        }

        /// <summary>Polls the dashboard API until every resource reports healthy; returns their process ids.</summary>
        public async Task<IReadOnlyList<int>> WaitForAllHealthyAsync(TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < timeout && !Process.HasExited)
            {
                try
                {
                    var resources = await _dashboard.GetFromJsonAsync<JsonElement[]>("/api/resources");
                    if (resources is { Length: > 0 } && resources.All(r => r.GetProperty("health").GetString() == "Healthy"))
                    {
                        return [.. resources.Select(r => r.GetProperty("pid").GetInt32())];
                    }
                }
                catch (HttpRequestException)
                {
                    // The dashboard is not listening yet.
                }
                await Task.Delay(200);
            }
            string output;
            lock (_output)
            {
                output = string.Join('\n', _output.TakeLast(60));
            }
            throw new TimeoutException($"The AppHost did not report all resources healthy within {timeout.TotalSeconds} s.\n{output}");
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }
            Process.Dispose();
            _dashboard.Dispose();
            TestData.Delete(_dataPath);
        }
    }
}
