using System.Net.Http.Json;
using Npgsql;
using RealtimeAspire.Testing;
using StackExchange.Redis;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>
/// The whole topology of <c>AppHost/Program.cs</c> (three replicas behind the edge, Kafka, Message.Service,
/// PostgreSQL, Redis, Presence.Service) for the fault scenarios, with direct access to its PostgreSQL and Redis.
/// A scenario's fault must leave it whole again (<see cref="RestoreAsync"/>); one that cannot gets a topology of its own.
/// </summary>
public sealed class ReliabilityTopology : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);
    public static readonly TimeSpan RestoreTimeout = TimeSpan.FromSeconds(120);
    public const int Replicas = 3;

    private ConnectionMultiplexer? _redis;

    public TestTopology Topology { get; private set; } = null!;

    public Uri EdgeUrl { get; private set; } = null!;

    public string PostgresConnectionString { get; private set; } = null!;

    /// <summary>Without cookies: the edge's affinity cookie would stick every probe to one replica.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public IReadOnlyList<string> ReplicaNames { get; } = [.. Enumerable.Range(0, Replicas).Select(i => $"connection-service-{i}")];

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        Topology = await TestTopology.StartAsync(cts.Token).WaitAsync(StartTimeout);
        await Topology.WaitForAllHealthyAsync(StartTimeout);
        EdgeUrl = Topology.Endpoint("edge");
        PostgresConnectionString = (await Topology.Instance("messages").ConnectionStringAsync())!;
        await RestoreAsync();
    }

    /// <summary>
    /// Waits until every resource is healthy, every replica answers its own <c>/health</c> and the edge routes new
    /// clients to each of them again: the state every scenario starts from and leaves behind.
    /// </summary>
    public async Task RestoreAsync()
    {
        await Topology.WaitForAllHealthyAsync(RestoreTimeout);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await BoundedWait.UntilAsync(async () =>
        {
            if (await ReplicaThroughTheEdgeAsync() is { } replica)
            {
                seen.Add(replica);
            }
            return seen.Count == Replicas;
        }, RestoreTimeout, "the edge routing to every replica", describe: () => Task.FromResult($"seen: {string.Join(", ", seen)}\n{Topology.Describe()}"),
            pause: TimeSpan.FromMilliseconds(50));
    }

    private async Task<string?> ReplicaThroughTheEdgeAsync()
    {
        try
        {
            // A new client each time (no affinity): the load balancer chooses, and a replica just back (no connections) wins.
            using var response = await Http.GetAsync(new Uri(EdgeUrl, "/connect/info"));
            return response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<ReplicaInfo>() is { Replica: { } replica } ? replica : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>A development token from the edge (<c>POST /api/dev/token</c>).</summary>
    public async Task<string> TokenAsync(string user)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(EdgeUrl, "/api/dev/token"), new { user, name = user });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
    }

    /// <summary>Every persisted message of the channels starting with <paramref name="channelPrefix"/>.</summary>
    public Task<List<PersistedRow>> PersistedAsync(string channelPrefix) => PersistedMessages.ReadAsync(PostgresConnectionString, channelPrefix);

    /// <summary>Persisted rows of the channels starting with <paramref name="channelPrefix"/>; null while PostgreSQL does not answer.</summary>
    public async Task<long?> CountPersistedAsync(string channelPrefix)
    {
        try
        {
            await using var connection = new NpgsqlConnection(PostgresConnectionString);
            await connection.OpenAsync().WaitAsync(TimeSpan.FromSeconds(5));
            await using var command = new NpgsqlCommand("SELECT count(*) FROM messages WHERE starts_with(channel, @prefix)", connection);
            command.Parameters.AddWithValue("prefix", channelPrefix);
            return (long)(await command.ExecuteScalarAsync().WaitAsync(TimeSpan.FromSeconds(10)))!;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    /// <summary>An admin connection to the topology's Redis.</summary>
    public async Task<IServer> RedisServerAsync()
    {
        _redis ??= await ConnectionMultiplexer.ConnectAsync(await Topology.Instance("redis").ConnectionStringAsync() + ",allowAdmin=true,abortConnect=false").WaitAsync(TimeSpan.FromSeconds(15));
        return _redis.GetServers().Single();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        if (Topology is not null)
        {
            await Topology.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
        }
    }

    /// <summary>A channel name prefix unique to one scenario: <c>chat:{tag}-{8 hex}-</c> (chat: has presence).</summary>
    public static string NewPrefix(string tag) => $"chat:{tag}-{Guid.NewGuid():N}"[..(tag.Length + 14)] + "-";

    private sealed record ReplicaInfo(string? Replica);

    private sealed record TokenResponse(string Token);
}

[CollectionDefinition(nameof(ReliabilityCollection))]
public sealed class ReliabilityCollection : ICollectionFixture<ReliabilityTopology>;
