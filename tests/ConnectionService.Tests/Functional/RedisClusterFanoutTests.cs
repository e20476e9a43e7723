using RealtimeAspire.ConnectionService.Tests.Clients;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>What a Redis Cluster changes: sharded pub/sub, and every key of a channel on the shard of its slot.</summary>
[Collection(nameof(RedisClusterCollection))]
public sealed class RedisClusterFanoutTests(RedisClusterTopology cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryReplicaSaysItUsesShardedPubSub()
    {
        foreach (var replica in cluster.Topology.Find("connection-service"))
        {
            await replica.WaitForLogAsync(line => line.Contains("Redis pub/sub mode: sharded", StringComparison.Ordinal), Timeout, "the sharded pub/sub log event");
        }
    }

    [Fact]
    public async Task ASubscribedChannelIsAShardChannelOnItsSlotsMasterAndNoClassicChannelAnywhere()
    {
        var channel = $"chat:sharded-{Guid.NewGuid():N}";
        var token = await Tokens.ForAsync(cluster.Replica(0), "sharded");
        await using var first = await RealtimeSocket.ConnectAsync(cluster.Replica(0), token);
        await first.SubscribeAsync(channel);
        await using var second = await RealtimeSocket.ConnectAsync(cluster.Replica(1), token);
        await second.SubscribeAsync(channel);
        var ack = await first.PublishAsync(channel, new { hello = "shard" });
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        Assert.Equal(1, Assert.Single(await second.MessagesAsync(channel, 1)).GetProperty("seq").GetInt64());

        var topic = RedisKeys.Topic(channel);
        var owner = await OwnerOfAsync(RedisKeys.Sequence(channel));
        // Two replicas subscribe, each once (the second socket on replica 0 would not add a subscription).
        Assert.Equal("2", LastLine(await cluster.Redis.CliAsync(owner, ["PUBSUB", "SHARDNUMSUB", topic], CancellationToken.None)));
        foreach (var port in cluster.Redis.Ports)
        {
            Assert.Equal("0", LastLine(await cluster.Redis.CliAsync(port, ["PUBSUB", "NUMSUB", topic], CancellationToken.None)));
        }
        // The publish script's keys live on the owner alone, in the slot the hash tag gives them.
        foreach (var key in new[] { RedisKeys.Sequence(channel), RedisKeys.History(channel), RedisKeys.Topic(channel), RedisKeys.Epoch(channel) })
        {
            Assert.Equal(RedisSlots.Of(key).ToString(System.Globalization.CultureInfo.InvariantCulture),
                LastLine(await cluster.Redis.CliAsync(owner, ["CLUSTER", "KEYSLOT", key], CancellationToken.None)));
        }
        Assert.Equal("2", LastLine(await cluster.Redis.CliAsync(owner, ["EXISTS", RedisKeys.Sequence(channel), RedisKeys.History(channel)], CancellationToken.None)));
    }

    /// <summary>The master that serves <paramref name="key"/>'s slot (a MOVED answer names it otherwise).</summary>
    private async Task<int> OwnerOfAsync(string key)
    {
        foreach (var port in cluster.Redis.Ports)
        {
            try
            {
                if (!(await cluster.Redis.CliAsync(port, ["TYPE", key], CancellationToken.None)).Contains("MOVED", StringComparison.Ordinal))
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

    private static string LastLine(string output) => output.Trim().Split('\n')[^1].Trim();
}
