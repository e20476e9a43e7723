using RealtimeAspire.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace RealtimeAspire.EndToEnd.Tests;

/// <summary>One whole topology, from the AppHost's own declaration, shared by the tests of a collection.</summary>
public sealed class TopologyFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    public TestTopology Topology { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        Topology = await TestTopology.StartAsync(cts.Token);
        await Topology.WaitForAllHealthyAsync(StartTimeout);
    }

    public async Task DisposeAsync() => await Topology.DisposeAsync();
}

[CollectionDefinition(nameof(TopologyCollection))]
public sealed class TopologyCollection : ICollectionFixture<TopologyFixture>;
