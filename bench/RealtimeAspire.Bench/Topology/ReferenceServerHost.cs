using System.Diagnostics;

namespace RealtimeAspire.Bench.Topology;

/// <summary>
/// Runs instances of a reference server (<c>bench/ReferenceServer</c> or <c>bench/SignalRReference</c>) as child
/// processes on free ports (built alongside the bench, same configuration) and stops exactly those processes.
/// </summary>
internal sealed class ReferenceServerHost : IAsyncDisposable
{
    public const string Raw = "ReferenceServer";
    public const string SignalR = "SignalRReference";

    private readonly List<Process> _processes = [];

    public IReadOnlyList<Uri> Endpoints { get; private set; } = [];

    public IReadOnlyList<int> Pids => [.. _processes.Select(p => p.Id)];

    public static async Task<ReferenceServerHost> StartAsync(string server, int instances, string redis, HttpClient http, CancellationToken cancellationToken)
    {
        var dll = LocateDll(server);
        var host = new ReferenceServerHost();
        var endpoints = new List<Uri>();
        try
        {
            for (var i = 0; i < instances; i++)
            {
                var port = LocalServer.FreePort();
                var start = new ProcessStartInfo("dotnet")
                {
                    ArgumentList = { dll, "--urls", $"http://127.0.0.1:{port}", $"--Redis={redis}" },
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                start.Environment["DOTNET_gcServer"] = "0";
                var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {server}");
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"[{server}-{i}] {e.Data}"); } };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                host._processes.Add(process);
                endpoints.Add(new Uri($"http://127.0.0.1:{port}/"));
            }
            for (var i = 0; i < endpoints.Count; i++)
            {
                await LocalServer.WaitHealthyAsync(http, endpoints[i], host._processes[i], TimeSpan.FromSeconds(30), cancellationToken);
            }
            host.Endpoints = endpoints;
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static string LocateDll(string server)
    {
        // bench/RealtimeAspire.Bench/bin/<Configuration>/<tfm>/ → bench/<server>/bin/<Configuration>/<tfm>/
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        var bench = baseDir.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(bench, server, "bin", configuration, tfm, $"{server}.dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"{server} not built: {dll} (dotnet build -c {configuration} bench/{server})");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
        _processes.Clear();
    }
}
