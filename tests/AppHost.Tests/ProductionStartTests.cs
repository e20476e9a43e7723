using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.Testing;

namespace RealtimeAspire.AppHost.Tests;

/// <summary>
/// A real service process (the edge, from its build output, as a container runs it) started in Production: it refuses a
/// secret the AppHost generated for a local run, and serves its probes only when configured to.
/// </summary>
public sealed class ProductionStartTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheEdgeRefusesToStartInProductionWithTheAffinitySecretTheAppHostGenerates()
    {
        var developmentSecret = DevelopmentSecrets.GeneratedPrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

        using var edge = StartEdge(new() { ["Edge__Affinity__Secret"] = developmentSecret, ["HealthEndpoints__Enabled"] = "true" }, out var output);
        await edge.WaitForExitAsync(new CancellationTokenSource(StartTimeout).Token);

        Assert.NotEqual(0, edge.ExitCode);
        Assert.Contains("Edge:Affinity:Secret is a development secret", Text(output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEdgeServesHealthAndAliveInProductionWhenConfigured()
    {
        var port = LocalPortAllocator.GetFreePort();
        using var edge = StartEdge(new() { ["HealthEndpoints__Enabled"] = "true", ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" }, out var output);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await BoundedWait.UntilAsync(async () => (await http.GetAsync("/alive")).StatusCode == HttpStatusCode.OK, StartTimeout,
                "the edge's /alive in Production", describe: () => Task.FromResult(Text(output)));

            // Readiness answers (healthy or not: this edge has no replica to be ready for), it is not a missing route.
            Assert.NotEqual(HttpStatusCode.NotFound, (await http.GetAsync("/health")).StatusCode);
        }
        finally
        {
            edge.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task WithoutTheSettingProductionServesNoHealthEndpoints()
    {
        var port = LocalPortAllocator.GetFreePort();
        using var edge = StartEdge(new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" }, out var output);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            // /metrics is mapped either way: once it answers, the endpoints are mapped.
            await BoundedWait.UntilAsync(async () => (await http.GetAsync("/metrics")).StatusCode == HttpStatusCode.OK, StartTimeout,
                "the edge's /metrics in Production", describe: () => Task.FromResult(Text(output)));

            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/alive")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/health")).StatusCode);
            await BoundedWait.UntilAsync(() => Task.FromResult(Text(output).Contains("/health and /alive are not served in environment Production", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10), "the log event saying why");
        }
        finally
        {
            edge.Kill(entireProcessTree: true);
        }
    }

    private static string Text(LogBuffer output) => string.Join('\n', output.Tail(int.MaxValue));

    private static Process StartEdge(Dictionary<string, string> environment, out LogBuffer output)
    {
        var project = new Projects.Edge_Proxy().ProjectPath;
        var assembly = Path.Combine(Path.GetDirectoryName(project)!, "bin", LocalInfrastructureOptions.BuildConfiguration, "net10.0", "Edge.Proxy.dll");
        var info = new ProcessStartInfo("dotnet", [assembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info)!;
        var buffer = new LogBuffer();
        process.OutputDataReceived += (_, e) => buffer.Add(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => buffer.Add(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = buffer;
        return process;
    }
}
