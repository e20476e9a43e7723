namespace RealtimeAspire.Testing;

/// <summary>
/// A real three-master Redis Cluster in place of the topology's one Redis server, for a topology to hold (C# has no
/// mix-ins): started before the topology, given to its services as <c>ConnectionStrings:redis</c>, stopped after it.
/// A topology forwards its <c>Options</c>, <c>InitializeAsync</c> and <c>DisposeAsync</c> here.
/// </summary>
public sealed class RedisClusterBacking
{
    public LocalRedisCluster Redis { get; private set; } = null!;

    public TestTopologyOptions Options => new()
    {
        Configuration = new Dictionary<string, string> { ["ConnectionStrings:redis"] = Redis.ConnectionString },
    };

    /// <summary>Starts the cluster, then the topology (<paramref name="startTopology"/>, which reads <see cref="Options"/>).</summary>
    public async Task StartAsync(Func<Task> startTopology)
    {
        Redis = await LocalRedisCluster.StartAsync();
        await startTopology();
    }

    /// <summary>Stops the topology, then the cluster, even when stopping the topology fails.</summary>
    public async Task StopAsync(Func<Task> stopTopology)
    {
        try
        {
            await stopTopology();
        }
        finally
        {
            await Redis.DisposeAsync();
        }
    }
}
