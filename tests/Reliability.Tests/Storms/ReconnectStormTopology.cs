using RealtimeAspire.Testing;

namespace RealtimeAspire.Reliability.Tests.Storms;

/// <summary>
/// The whole topology of <c>AppHost/Program.cs</c> with two replicas behind the real edge, for the reconnect storm.
/// The edge's per-IP connect bucket is opened up: the storm's 5,000 clients stand for 5,000 users on as many
/// addresses, but here all come from 127.0.0.1. The per-user and global buckets stay as deployed.
/// </summary>
public sealed class ReconnectStormTopology : IAsyncLifetime
{
    public const int Replicas = 2;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    public TestTopology Topology { get; private set; } = null!;

    public Uri EdgeUrl => Topology.Endpoint("edge");

    public Uri Replica(int i) => Topology.Endpoint($"connection-service-{i}");

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        Topology = await TestTopology.StartAsync(new TestTopologyOptions
        {
            Configuration = new Dictionary<string, string> { ["Realtime:Replicas"] = Replicas.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Environment = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["edge"] = new Dictionary<string, string>
                {
                    ["Edge__RateLimiting__Connect__PerIp__PermitsPerSecond"] = "100000",
                    ["Edge__RateLimiting__Connect__PerIp__Burst"] = "100000",
                },
            },
        }, cts.Token);
        await Topology.WaitForAllHealthyAsync(StartTimeout);
    }

    /// <summary>Every replica answers its own <c>/health</c> again (after a kill: the AppHost's restart on failure).</summary>
    public async Task WaitForReplicasAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < Replicas; i++)
        {
            var health = new Uri(Replica(i), "/health");
            await BoundedWait.UntilAsync(async () =>
            {
                using var response = await http.GetAsync(health);
                return response.IsSuccessStatusCode;
            }, timeout, $"connection-service-{i} healthy", describe: () => Task.FromResult(Topology.Describe()));
        }
    }

    public async Task DisposeAsync()
    {
        if (Topology is not null)
        {
            await Topology.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        }
    }
}

[CollectionDefinition(nameof(ReconnectStormCollection))]
public sealed class ReconnectStormCollection : ICollectionFixture<ReconnectStormTopology>;
