using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeAspire.AppHost.LocalInfrastructure;
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

        // A background job of a non-interactive shell starts with SIGINT ignored, its children inherit that, and .NET
        // then installs no Ctrl+C handler: such a run cannot test Ctrl+C, and should say so rather than time out.
        Assert.False(signal == "SIGINT" && IgnoresSigint(host.Process.Id),
            "The AppHost was started with SIGINT ignored (inherited from the shell that runs the tests, e.g. `cmd &` in a script), so Ctrl+C cannot reach it: run the tests in the foreground.");
        Process.Start("kill", [$"-{signal[3..]}", host.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await BoundedWait.UntilAsync(() => Task.FromResult(host.Process.HasExited), GoneWithin, $"the AppHost to exit after {signal}",
            describe: () => Task.FromResult(string.Join('\n', [.. processes.Where(IsAlive).Select(ProcessTree.CommandLine), "--- its last output:", .. host.Output.TakeLast(40)])));

        await BoundedWait.UntilAsync(() => Task.FromResult(!processes.Any(IsAlive)), GoneWithin,
            "every process of the AppHost gone", describe: () => Task.FromResult(string.Join("\n", processes.Where(IsAlive).Select(ProcessTree.CommandLine))));
    }

    [Fact]
    public async Task APublishThroughTheEdgeIsOneTraceFromTheEdgeToThePostgresInsertInTheDashboard()
    {
        var apiKey = Guid.NewGuid().ToString("N");
        await using var host = AppHostProcess.Start($"--AppHost:DashboardApiKey={apiKey}");
        await host.WaitForAllHealthyAsync(StartTimeout);
        using var edge = new HttpClient { BaseAddress = host.EdgeUrl };
        var token = (await (await edge.PostAsJsonAsync("/api/dev/token", new { user = "tracer" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();

        // The client starts the trace: every hop continues it.
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var publish = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/chat:trace-{traceId[..8]}/messages")
        {
            Content = JsonContent.Create(new { data = new { text = "traced" } }),
        };
        publish.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        publish.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");
        using (var acked = await edge.SendAsync(publish))
        {
            Assert.True(acked.IsSuccessStatusCode, await acked.Content.ReadAsStringAsync());
        }

        using var dashboard = new HttpClient { BaseAddress = host.DashboardUrl };
        dashboard.DefaultRequestHeaders.Add("x-api-key", apiKey);
        IReadOnlyList<(string Service, string Span, JsonElement Attributes)> spans = [];
        await BoundedWait.UntilAsync(async () =>
        {
            using var response = await dashboard.GetAsync($"/api/telemetry/traces/{traceId}");
            spans = response.IsSuccessStatusCode ? Spans(await response.Content.ReadFromJsonAsync<JsonElement>()) : [];
            // Each process exports its spans on its own schedule: wait for all three services' to arrive.
            return spans.Any(s => s.Service == "message-service" && IsPostgres(s.Attributes))
                && spans.Any(s => s.Service == "edge") && spans.Any(s => s.Service == "connection-service");
        }, TimeSpan.FromSeconds(60), "the publish's trace to reach PostgreSQL through edge and connection-service in the dashboard",
            describe: () => Task.FromResult(string.Join('\n', spans.Select(s => $"{s.Service}: {s.Span}"))));

        Assert.Contains(spans, s => s.Service == "edge");
        Assert.Contains(spans, s => s.Service == "connection-service");
        Assert.Contains(spans, s => s.Service == "message-service");
    }

    /// <summary>(service.name, span name, attributes) of every span of an OTLP JSON trace.</summary>
    private static List<(string Service, string Span, JsonElement Attributes)> Spans(JsonElement otlp)
    {
        var spans = new List<(string, string, JsonElement)>();
        var resourceSpans = otlp.TryGetProperty("data", out var data) ? data.GetProperty("resourceSpans") : otlp.GetProperty("resourceSpans");
        foreach (var resource in resourceSpans.EnumerateArray())
        {
            var service = Attribute(resource.GetProperty("resource").GetProperty("attributes"), "service.name") ?? "?";
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    spans.Add((service, span.GetProperty("name").GetString()!, span.TryGetProperty("attributes", out var a) ? a : default));
                }
            }
        }
        return spans;
    }

    private static bool IsPostgres(JsonElement attributes) =>
        attributes.ValueKind == JsonValueKind.Array && (Attribute(attributes, "db.system") ?? Attribute(attributes, "db.system.name")) == "postgresql";

    private static string? Attribute(JsonElement attributes, string key) =>
        attributes.EnumerateArray().Where(a => a.GetProperty("key").GetString() == key)
            .Select(a => a.GetProperty("value").TryGetProperty("stringValue", out var v) ? v.GetString() : null)
            .FirstOrDefault();

    /// <summary>Whether SIGINT (2) is in the process's ignored-signal mask (<c>SigIgn</c> of /proc/PID/status, hex, bit 1).</summary>
    private static bool IgnoresSigint(int pid) =>
        File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } line
        && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);

    private sealed class AppHostProcess : IAsyncDisposable
    {
        private readonly string _dataPath;
        private readonly List<string> _output = [];

        private AppHostProcess(Process process, string dataPath, Uri dashboardUrl, Uri edgeUrl)
        {
            Process = process;
            _dataPath = dataPath;
            DashboardUrl = dashboardUrl;
            EdgeUrl = edgeUrl;
        }

        public Process Process { get; }

        public Uri DashboardUrl { get; }

        public Uri EdgeUrl { get; }

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

        /// <summary>The built AppHost with the dashboard on (ports of its own), the edge on a free port and a fresh data folder.</summary>
        public static AppHostProcess Start(params string[] arguments)
        {
            var dataPath = TestData.NewFolder("apphost-process");
            var appHost = typeof(Projects.AppHost).Assembly.Location;
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(appHost)! };
            info.ArgumentList.Add(appHost);
            var edgePort = LocalPortAllocator.GetFreePort();
            foreach (var argument in TestTopology.Arguments(new TestTopologyOptions(), dataPath).Append($"--Edge:Port={edgePort}").Concat(arguments))
            {
                info.ArgumentList.Add(argument);
            }
            var dashboardUrl = new Uri($"http://localhost:{LocalPortAllocator.GetFreePort()}");
            info.Environment["ASPNETCORE_URLS"] = dashboardUrl.ToString().TrimEnd('/');
            info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{LocalPortAllocator.GetFreePort()}";
            info.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
            var process = Process.Start(info)!;
            var host = new AppHostProcess(process, dataPath, dashboardUrl, new Uri($"http://localhost:{edgePort}"));
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
                pids = [.. workload.Where(r => r.LauncherPid is not null).SelectMany(r => ProcessTree.SelfAndDescendants(r.LauncherPid!.Value))];
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
