using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace RealtimeAspire.Clients.Tests.JavaScript;

/// <summary>
/// Runs one Node test file (<c>node --test</c>) of clients/js against the topology: the edge URL and the replicas'
/// own URLs by environment; a line <c>##realtime-test kill {resource}</c> on its output asks this process to
/// SIGKILL that resource (Node cannot reach the test host).
/// </summary>
public static class NodeTestRun
{
    public const string KillCommand = "##realtime-test kill ";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ClientFolder => Path.Combine(RepositoryRoot, "clients", "js");

    public static async Task<(int ExitCode, string Output, IReadOnlyList<string> Killed)> RunAsync(string testFile, ClientTopologyFixture fixture, TimeSpan timeout)
    {
        var built = Path.Combine(ClientFolder, "dist", "realtime.js");
        if (!File.Exists(built))
        {
            throw new InvalidOperationException($"{built} is missing: the JS client is built by Edge.Proxy.csproj when node is on PATH (see docs/clients.md).");
        }
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ClientFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (await NodeMajorVersionAsync() < 22)
        {
            start.ArgumentList.Add("--experimental-websocket"); // Node 20 has WebSocket behind this flag
        }
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add("--test-reporter=spec");
        start.ArgumentList.Add(Path.Combine("test", testFile));
        start.Environment["REALTIME_EDGE_URL"] = fixture.EdgeUrl.ToString();
        start.Environment["REALTIME_REPLICAS"] = JsonSerializer.Serialize(fixture.ReplicaUrls().ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
        start.Environment["NO_COLOR"] = "1";

        var output = new StringBuilder();
        var killed = new List<string>();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var stdout = PumpAsync(process.StandardOutput, output, line =>
        {
            if (line.StartsWith(KillCommand, StringComparison.Ordinal))
            {
                var name = line[KillCommand.Length..].Trim();
                fixture.Topology.Kill(name);
                killed.Add(name);
            }
        });
        var stderr = PumpAsync(process.StandardError, output, _ => { });
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            output.AppendLine($"[killed after {timeout.TotalSeconds:0} s]");
        }
        await Task.WhenAll(stdout, stderr);
        return (process.ExitCode, output.ToString(), killed);
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder output, Action<string> onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
            onLine(line);
        }
    }

    private static async Task<int> NodeMajorVersionAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var version = (await process.StandardOutput.ReadToEndAsync()).Trim().TrimStart('v');
        await process.WaitForExitAsync();
        return int.TryParse(version.Split('.')[0], out var major) ? major : 0;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RealtimeAspire.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("RealtimeAspire.sln not found above " + AppContext.BaseDirectory);
    }
}
