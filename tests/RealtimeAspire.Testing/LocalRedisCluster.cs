using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RealtimeAspire.AppHost.LocalInfrastructure;

namespace RealtimeAspire.Testing;

/// <summary>
/// A real Redis Cluster on loopback: <c>redis-server --cluster-enabled yes</c> masters (no replicas, no
/// persistence, one temp folder each) joined by <c>redis-cli --cluster create</c>, ready once every node reports
/// <c>cluster_state:ok</c>. Each server runs under a shell that kills it when its stdin closes, which happens on
/// dispose and also when the test host dies, so no server outlives the test run.
/// </summary>
public sealed class LocalRedisCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<Process> _servers = [];
    private readonly string _dataPath;

    private LocalRedisCluster(string dataPath, string password)
    {
        _dataPath = dataPath;
        Password = password;
    }

    /// <summary>The masters' ports, in the order they were created.</summary>
    public IReadOnlyList<int> Ports { get; private set; } = [];

    public string Password { get; }

    /// <summary>What a service gets as <c>ConnectionStrings:redis</c>: every master, comma-separated, then the password.</summary>
    public string ConnectionString => string.Join(',', Ports.Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}")) + $",password={Password}";

    public static async Task<LocalRedisCluster> StartAsync(int masters = 3, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(masters, 3);
        var cluster = new LocalRedisCluster(TestData.NewFolder("redis-cluster"), Guid.NewGuid().ToString("N"));
        try
        {
            await cluster.StartServersAsync(masters, cancellationToken);
            await cluster.CreateClusterAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>redis-cli</c> against one master and returns what it printed (e.g. <c>CLUSTER INFO</c>).</summary>
    public async Task<string> CliAsync(int port, string[] arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-a", Password, "--no-auth-warning", .. arguments], cancellationToken);
        return exitCode == 0 ? output : throw new InvalidOperationException($"redis-cli {string.Join(' ', arguments)} exited with {exitCode}: {output}");
    }

    private async Task StartServersAsync(int masters, CancellationToken cancellationToken)
    {
        var ports = new List<int>();
        for (var i = 0; i < masters; i++)
        {
            var port = FreePortWithFreeBusPort();
            ports.Add(port);
            var folder = Directory.CreateDirectory(Path.Combine(_dataPath, port.ToString(CultureInfo.InvariantCulture))).FullName;
            var start = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // The shell reads its stdin until EOF (our end closed: dispose, or this process died), then kills the server.
            foreach (var argument in new[]
            {
                "-c", "redis-server \"$@\" & server=$!; trap 'kill -9 $server 2>/dev/null; wait $server' EXIT; read -r _", "sh",
                "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(folder, "nodes.conf"), "--cluster-node-timeout", "5000",
                "--dir", folder, "--save", "", "--appendonly", "no",
                "--requirepass", Password, "--masterauth", Password,
            })
            {
                start.ArgumentList.Add(argument);
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
            _servers.Add(process);
            // Drained so that a chatty server never blocks on a full pipe.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        Ports = ports;
        foreach (var port in ports)
        {
            await BoundedWait.UntilAsync(() => RespProbe.PingAsync("127.0.0.1", port, Password, cancellationToken), StartTimeout,
                $"redis-server on port {port} answering PING", isTransient: ex => ex is SocketException or IOException);
        }
    }

    private async Task CreateClusterAsync(CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync("redis-cli",
            ["-a", Password, "--no-auth-warning", "--cluster", "create", .. Ports.Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}"), "--cluster-replicas", "0", "--cluster-yes"],
            cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli --cluster create exited with {exitCode}: {output}");
        }
        foreach (var port in Ports)
        {
            await BoundedWait.UntilAsync(async () => (await CliAsync(port, ["CLUSTER", "INFO"], cancellationToken)).Contains("cluster_state:ok", StringComparison.Ordinal),
                StartTimeout, $"cluster_state:ok on port {port}", isTransient: ex => ex is InvalidOperationException);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not exit within {StartTimeout.TotalSeconds:0} s.");
        }
        return (process.ExitCode, await output + await error);
    }

    /// <summary>A free port whose cluster bus port (port + 10000) is free too.</summary>
    private static int FreePortWithFreeBusPort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = LocalPortAllocator.GetFreePort();
            if (port + 10000 <= IPEndPoint.MaxPort && IsFree(port + 10000))
            {
                return port;
            }
        }
        throw new InvalidOperationException("No free port pair (port, port + 10000) for a cluster node.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            try
            {
                server.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await server.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                server.Kill(entireProcessTree: true);
            }
            finally
            {
                server.Dispose();
            }
        }
        TestData.Delete(_dataPath);
    }
}
