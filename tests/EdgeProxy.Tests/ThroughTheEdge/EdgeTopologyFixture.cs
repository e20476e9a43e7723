using RealtimeAspire.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

/// <summary>The whole topology of <c>AppHost/Program.cs</c> (3 Connection.Service replicas behind the real edge), shared by the tests of the collection.</summary>
public sealed class EdgeTopologyFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    public TestTopology Topology { get; private set; } = null!;

    public EdgeClient Edge { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        Topology = await TestTopology.StartAsync(cts.Token);
        // Only what these tests go through: the replicas and a running edge. The edge's own readiness also needs
        // Message.Service and Presence.Service, which these tests never call.
        await Topology.WaitForResourceHealthyAsync("connection-service", StartTimeout);
        await Topology.WaitForStateAsync("edge", Aspire.Hosting.ApplicationModel.KnownResourceStates.Running, StartTimeout);
        Edge = new EdgeClient(Topology.Endpoint("edge"));
        await WaitUntilEdgeRoutesToEveryReplicaAsync(StartTimeout);
    }

    private async Task WaitUntilEdgeRoutesToEveryReplicaAsync(TimeSpan timeout)
    {
        var seen = new HashSet<string>();
        // An HttpRequestException (the edge still binding its port) counts as "not yet".
        await BoundedWait.UntilAsync(async () =>
        {
            var info = await Edge.InfoAsync(RateLimiting.TestRequests.UnsignedToken(new { sub = $"fixture-{Guid.NewGuid():N}" }));
            if (info.Replica is { } replica)
            {
                seen.Add(replica);
            }
            return seen.Count >= 3;
        }, timeout, "the edge to route to every replica", describe: () => Task.FromResult($"Seen: {string.Join(", ", seen)}"));
    }

    public async Task DisposeAsync()
    {
        Edge?.Dispose();
        if (Topology is not null)
        {
            await Topology.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        }
    }
}

[CollectionDefinition(nameof(EdgeTopologyCollection))]
public sealed class EdgeTopologyCollection : ICollectionFixture<EdgeTopologyFixture>;
