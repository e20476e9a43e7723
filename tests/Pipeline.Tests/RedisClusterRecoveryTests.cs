using System.Globalization;
using Npgsql;
using RealtimeAspire.Client;
using RealtimeAspire.ConnectionService.Tests.Clients;
using RealtimeAspire.Contracts;
using RealtimeAspire.Testing;

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>The AppHost's whole topology on a three-master Redis Cluster, given as <c>ConnectionStrings:redis</c>.</summary>
public sealed class RedisClusterPipelineFixture : IAsyncLifetime
{
    public LocalRedisCluster Redis { get; private set; } = null!;

    public TestTopology Topology { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await LocalRedisCluster.StartAsync();
        using var cts = new CancellationTokenSource(PipelineFixture.StartTimeout);
        Topology = await TestTopology.StartAsync(new TestTopologyOptions
        {
            Configuration = new Dictionary<string, string> { ["ConnectionStrings:redis"] = Redis.ConnectionString },
        }, cts.Token).WaitAsync(PipelineFixture.StartTimeout);
        await Topology.WaitForAllHealthyAsync(PipelineFixture.StartTimeout);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Topology.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
        }
        finally
        {
            await Redis.DisposeAsync();
        }
    }
}

[CollectionDefinition(nameof(PipelineOnRedisClusterCollection))]
public sealed class PipelineOnRedisClusterCollection : ICollectionFixture<RedisClusterPipelineFixture>;

/// <summary>
/// Invariant 2 on a Redis Cluster: the shard that owns a channel's slot loses its data (FLUSHALL on that master
/// alone); the next publish recovers the counter from Message.Service through the slot's own epoch marker, and no
/// sequence number is handed out twice.
/// </summary>
[Collection(nameof(PipelineOnRedisClusterCollection))]
public sealed class RedisClusterRecoveryTests(RedisClusterPipelineFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task AShardThatLosesItsDataHandsOutTheNextNumbersNotOnesAlreadyUsed()
    {
        var channel = $"chat:cluster-recovery-{Guid.NewGuid():N}";
        var replica = fixture.Topology.Endpoint("connection-service-0");
        await using var publisher = new RealtimeClient(new RealtimeClientOptions
        {
            EdgeUrl = replica,
            Token = await Tokens.ForAsync(replica, "shard-loss"),
            Transports = [RealtimeTransport.WebSocket],
        });
        // One connection throughout, as the raw socket was: the client must not ride out a drop unseen.
        var reconnects = 0;
        publisher.StateChanged += state => Interlocked.Add(ref reconnects, state.Status == RealtimeConnectionStatus.Reconnecting ? 1 : 0);
        var before = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            before.Add((await publisher.PublishAsync(channel, new { i }).WaitAsync(TimeSpan.FromSeconds(60))).Seq);
        }
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), before);
        await BoundedWait.UntilAsync(async () => await PersistedAsync(channel) == 10, Timeout, "10 rows persisted");

        var owner = await OwnerOfAsync(RedisKeys.Sequence(channel));
        Assert.Equal("OK", (await fixture.Redis.CliAsync(owner, ["FLUSHALL"], CancellationToken.None)).Trim());
        Assert.Equal("0", (await fixture.Redis.CliAsync(owner, ["EXISTS", RedisKeys.Sequence(channel)], CancellationToken.None)).Trim());

        var after = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            after.Add((await publisher.PublishAsync(channel, new { after = i }).WaitAsync(Timeout)).Seq);
        }

        Assert.Equal(Enumerable.Range(11, 5).Select(i => (long)i), after);
        // The recovery's epoch marker was set in the channel's slot, on the shard that lost its data.
        Assert.Equal("1", (await fixture.Redis.CliAsync(owner, ["EXISTS", RedisKeys.Epoch(channel)], CancellationToken.None)).Trim());
        await BoundedWait.UntilAsync(async () => await PersistedAsync(channel) == 15, Timeout, "15 rows persisted");
        Assert.Equal(0, Volatile.Read(ref reconnects));
    }

    private async Task<long> PersistedAsync(string channel)
    {
        await using var connection = new NpgsqlConnection(await fixture.Topology.Instance("messages").ConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(DISTINCT seq) FROM messages WHERE channel = @channel", connection);
        command.Parameters.AddWithValue("channel", channel);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private async Task<int> OwnerOfAsync(string key)
    {
        foreach (var port in fixture.Redis.Ports)
        {
            try
            {
                if (!(await fixture.Redis.CliAsync(port, ["TYPE", key], CancellationToken.None)).Contains("MOVED", StringComparison.Ordinal))
                {
                    return port;
                }
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("MOVED", StringComparison.Ordinal))
            {
                // redis-cli exits non-zero on an error reply.
            }
        }
        throw new InvalidOperationException($"No master serves '{key}'.");
    }
}
