using System.Net;
using RealtimeAspire.Bench.Cli;
using RealtimeAspire.Bench.Clients;
using RealtimeAspire.Bench.Topology;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>What every scenario shares: options, one HTTP client, the AppHost's topology, tokens, targets.</summary>
internal sealed class BenchContext : IDisposable
{
    private readonly NginxHost? _nginx;

    private BenchContext(BenchOptions options, HttpClient http, AppHostTopology topology, NginxHost? nginx)
    {
        Options = options;
        Http = http;
        Topology = topology;
        _nginx = nginx;
        Tokens = new TokenClient(http, AppHostTopology.EndpointOf(topology.Replicas[0]));
    }

    public BenchOptions Options { get; }

    public HttpClient Http { get; }

    public AppHostTopology Topology { get; }

    public TokenClient Tokens { get; }

    /// <summary>A short id that keeps channels and users of this invocation apart from earlier ones.</summary>
    public string RunId { get; } = DateTime.UtcNow.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture) + Random.Shared.Next(100, 999);

    public static async Task<BenchContext> CreateAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        try
        {
            var topology = await AppHostTopology.LoadAsync(options.DataPath, cancellationToken);
            if (topology.Replicas.Count == 0)
            {
                throw new InvalidOperationException($"no connection-service replica with an endpoint in {options.DataPath}/{AppHostTopology.InventoryFile}");
            }
            var nginx = options.Via == Via.Nginx
                ? await NginxHost.StartAsync([.. topology.Replicas.Select(AppHostTopology.EndpointOf)], http, cancellationToken)
                : null;
            return new BenchContext(options, http, topology, nginx);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>The product: every replica (direct), the edge or nginx; memory of the replicas (and the proxy).</summary>
    public Target Product()
    {
        var replicas = Topology.Replicas;
        if (Options.Via == Via.Edge)
        {
            var edge = Options.EdgePid ?? Topology.Find("edge").Pid ?? 0;
            return new Target("product (edge)", TargetKind.Product, [Options.Edge], [.. replicas.Select(r => r.Pid ?? 0), edge], [edge]);
        }
        if (_nginx is not null)
        {
            var nginx = _nginx.Pids;
            return new Target("product (nginx)", TargetKind.Product, [_nginx.Endpoint], [.. replicas.Select(r => r.Pid ?? 0), .. nginx], nginx);
        }
        return new Target("product (direct)", TargetKind.Product, [.. replicas.Select(AppHostTopology.EndpointOf)], [.. replicas.Select(r => r.Pid ?? 0)]);
    }

    /// <summary>
    /// Where the presence API is asked: through the edge with <c>--via edge</c>, otherwise Presence.Service itself
    /// (from the inventory; the edge when the inventory has no endpoint for it).
    /// </summary>
    public Uri PresenceEndpoint() =>
        Options.Via != Via.Edge && Topology.Rows.FirstOrDefault(r => r.Name == "presence-service" && r.Urls.Count > 0) is { } row
            ? AppHostTopology.EndpointOf(row)
            : Options.Edge;

    /// <summary>
    /// A fresh process for one instance: SIGKILL to its service process, which the AppHost's restart-on-failure starts
    /// again; waits until the inventory shows it healthy with a new pid.
    /// </summary>
    public async Task<ResourceRow> RestartAsync(string name, CancellationToken cancellationToken)
    {
        // The inventory as it is now: an earlier restart in this run has already replaced the pid the run started with.
        var old = (await AppHostTopology.LoadAsync(Options.DataPath, cancellationToken)).Find(name).Pid
            ?? throw new InvalidOperationException($"{name} has no process to restart");
        System.Diagnostics.Process.GetProcessById(old).Kill();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, cancellationToken);
            var row = (await AppHostTopology.LoadAsync(Options.DataPath, cancellationToken)).Find(name);
            if (row is { Pid: { } pid, Health: "Healthy" } && pid != old)
            {
                Console.WriteLine($"  restarted {name} (pid {pid})");
                return row;
            }
        }
        throw new TimeoutException($"{name} did not come back healthy within 90 s");
    }

    public Task<ReferenceServerHost> StartReferenceAsync(int instances, CancellationToken cancellationToken) =>
        ReferenceServerHost.StartAsync(ReferenceServerHost.Raw, instances, Options.ReferenceRedis ?? Topology.RedisConnectionString(), Http, cancellationToken);

    public Task<ReferenceServerHost> StartSignalRAsync(int instances, CancellationToken cancellationToken) =>
        ReferenceServerHost.StartAsync(ReferenceServerHost.SignalR, instances, Options.ReferenceRedis ?? Topology.RedisConnectionString(), Http, cancellationToken);

    public static Target Reference(ReferenceServerHost host) => new("reference", TargetKind.Reference, host.Endpoints, host.Pids);

    public static Target SignalR(ReferenceServerHost host) => new("signalr", TargetKind.SignalR, host.Endpoints, host.Pids);

    public void Dispose()
    {
        _nginx?.Dispose();
        Http.Dispose();
    }
}
