using Npgsql;
using RealtimeAspire.Testing;
using StackExchange.Redis;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>
/// The whole topology of <c>AppHost/Program.cs</c>, shared by the pipeline tests (each uses channels of its own), with
/// direct access to its PostgreSQL and Redis.
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    public const string MessageServiceName = "message-service";
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    private ConnectionMultiplexer? _redis;

    public TestTopology Topology { get; private set; } = null!;

    /// <summary>The three Connection.Service replicas, each on its own port.</summary>
    public IReadOnlyList<Uri> Replicas { get; private set; } = [];

    public string PostgresConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        Topology = await TestTopology.StartAsync(cts.Token).WaitAsync(StartTimeout);
        await Topology.WaitForAllHealthyAsync(StartTimeout);
        Replicas = [.. Enumerable.Range(0, 3).Select(i => Topology.Endpoint($"connection-service-{i}"))];
        PostgresConnectionString = (await Topology.Instance("messages").ConnectionStringAsync())!;
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        await Topology.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>An admin connection to the topology's Redis (FLUSHALL needs admin mode).</summary>
    public async Task<IServer> RedisServerAsync()
    {
        _redis ??= await ConnectionMultiplexer.ConnectAsync(await Topology.Instance("redis").ConnectionStringAsync() + ",allowAdmin=true").WaitAsync(TimeSpan.FromSeconds(15));
        return _redis.GetServers().Single();
    }

    public async Task<IDatabase> RedisAsync()
    {
        await RedisServerAsync();
        return _redis!.GetDatabase();
    }

    /// <summary>Every persisted message of the channels starting with <paramref name="channelPrefix"/>.</summary>
    public Task<List<PersistedRow>> PersistedAsync(string channelPrefix) => PersistedMessages.ReadAsync(PostgresConnectionString, channelPrefix);

    public async Task<long> ScalarAsync(string sql, string channelPrefix)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("prefix", channelPrefix);
        return (long)(await command.ExecuteScalarAsync().WaitAsync(TimeSpan.FromSeconds(30)))!;
    }

    public Task<long> CountPersistedAsync(string channelPrefix) =>
        ScalarAsync("SELECT count(*) FROM messages WHERE starts_with(channel, @prefix)", channelPrefix);

    public Task<long> CountLostAsync(string channelPrefix) =>
        ScalarAsync("SELECT count(*) FROM lost_messages WHERE starts_with(channel, @prefix)", channelPrefix);

    /// <summary>Polls a condition within a bounded time; on timeout, says what it saw and what each resource was doing.</summary>
    public Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<Task<string>>? describe = null) =>
        BoundedWait.UntilAsync(condition, timeout, what,
            isTransient: ex => ex is NpgsqlException or RedisException,
            describe: async () => (describe is null ? "" : await describe()) + "\n" + Topology.Describe(MessageServiceName),
            pause: TimeSpan.FromMilliseconds(200));

    /// <summary>A channel name prefix unique to one test: <c>{ns}:{12 hex}-</c>.</summary>
    public static string NewPrefix(string ns) => $"{ns}:{Guid.NewGuid():N}"[..(ns.Length + 13)] + "-";
}

[CollectionDefinition(nameof(PipelineCollection))]
public sealed class PipelineCollection : ICollectionFixture<PipelineFixture>;
