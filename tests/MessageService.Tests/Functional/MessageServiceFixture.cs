using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Confluent.Kafka;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.AppHost.Topology;
using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Auth;
using RealtimeAspire.Contracts.Wire;
using RealtimeAspire.Testing;
using StackExchange.Redis;

namespace RealtimeAspire.MessageService.Tests.Functional;

/// <summary>
/// Real PostgreSQL, the Kafka-protocol broker, real Redis and Message.Service as a process, started by the test host
/// and shared by the functional tests (each test uses channels of its own).
/// </summary>
public sealed class MessageServiceFixture : IAsyncLifetime
{
    public const string ServiceName = "message-service";
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Short settings so the tests stay quick; the defaults are documented in docs/message-service.md.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ProducerDeliveryTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(8);

    public static readonly string SigningKey = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    private IProducer<string, byte[]>? _producer;
    private ConnectionMultiplexer? _redisConnection;

    public TestTopology Topology { get; private set; } = null!;

    public string PostgresConnectionString { get; private set; } = null!;

    public string KafkaBootstrap { get; private set; } = null!;

    private string RedisConnectionString { get; set; } = null!;

    public IProducer<string, byte[]> Producer => _producer ??= new ProducerBuilder<string, byte[]>(new ProducerConfig
    {
        BootstrapServers = KafkaBootstrap,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 5,
    }).Build();

    public IDatabase Redis => (_redisConnection ??= ConnectionMultiplexer.Connect(RedisConnectionString)).GetDatabase();

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        Topology = await TestTopology.StartAsync(new TestTopologyOptions(), (b, secrets) =>
        {
            var db = b.AddLocalPostgres("postgres", secrets).AddDatabase("messages");
            var kafka = b.AddKafkaDevBroker("kafka");
            var redis = b.AddLocalRedis("redis", secrets);
            b.AddServiceProject<Projects.Message_Service>(ServiceName)
                .WithReference(db).WaitFor(db)
                .WithReference(kafka).WaitFor(kafka)
                .WithReference(redis).WaitFor(redis)
                .WithEnvironment("Auth__SigningKey", SigningKey)
                .WithEnvironment("MessageService__GapRepair__GracePeriod", GracePeriod.ToString())
                .WithEnvironment("MessageService__GapRepair__ScanInterval", "00:00:00.250")
                .WithEnvironment("MessageService__SequenceRecovery__ProducerDeliveryTimeout", ProducerDeliveryTimeout.ToString())
                .WithEnvironment("MessageService__SequenceRecovery__CatchUpTimeout", CatchUpTimeout.ToString())
                // Small enough that a PostgreSQL outage during load fills it and the consumer pauses.
                .WithEnvironment("MessageService__Consumer__BufferCapacity", "500")
                .WithEnvironment("MessageService__Consumer__MinRetryDelay", "00:00:00.100")
                .WithEnvironment("MessageService__Consumer__MaxRetryDelay", "00:00:01")
                .WithRestartOnFailure();
        }, cts.Token).WaitAsync(StartTimeout);
        await Topology.WaitForAllHealthyAsync(StartTimeout).WaitAsync(StartTimeout);
        PostgresConnectionString = (await Topology.Instance("messages").ConnectionStringAsync())!;
        KafkaBootstrap = (await Topology.Instance("kafka").ConnectionStringAsync())!;
        RedisConnectionString = (await Topology.Instance("redis").ConnectionStringAsync())!;
    }

    public async Task DisposeAsync()
    {
        _producer?.Dispose();
        _redisConnection?.Dispose();
        await Topology.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public HttpClient CreateClient(string? token = null)
    {
        var client = Topology.CreateHttpClient(ServiceName);
        client.Timeout = TimeSpan.FromSeconds(60);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public static string Token(string user, IEnumerable<string> subscribe, string? key = null, DateTime? expires = null)
    {
        var claims = new List<Claim> { new("sub", user) };
        claims.AddRange(subscribe.Select(p => new Claim(ChannelPermissions.SubscribeClaim, p)));
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = "realtime-aspire",
            Audience = "realtime-aspire",
            IssuedAt = (expires ?? now.AddHours(1)).AddHours(-2),
            NotBefore = (expires ?? now.AddHours(1)).AddHours(-2),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    public static MessageEnvelope Envelope(string channel, long seq, string? msgId = null, string data = """{"n":1}""") =>
        new(msgId ?? $"{channel}#{seq}", channel, seq, "alice", 1_732_540_000_000 + seq, JsonDocument.Parse(data).RootElement.Clone());

    public static byte[] Serialize(MessageEnvelope envelope) => JsonSerializer.SerializeToUtf8Bytes(envelope, s_json);

    /// <summary>Produces and waits for every acknowledgement.</summary>
    public async Task ProduceAsync(IEnumerable<MessageEnvelope> envelopes, TimeSpan timeout)
    {
        var deliveries = envelopes.Select(e => Producer.ProduceAsync(KafkaTopics.Messages, new Message<string, byte[]> { Key = e.Channel, Value = Serialize(e) })).ToList();
        await Task.WhenAll(deliveries).WaitAsync(timeout);
    }

    public async Task ProduceRawAsync(string key, byte[] value, TimeSpan timeout) =>
        await Producer.ProduceAsync(KafkaTopics.Messages, new Message<string, byte[]> { Key = key, Value = value }).WaitAsync(timeout);

    public async Task<T> QueryScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (T)(await command.ExecuteScalarAsync().WaitAsync(TimeSpan.FromSeconds(30)))!;
    }

    public async Task<List<(string Channel, long Seq, string MsgId, bool Repaired)>> QueryMessagesAsync(string channelPrefix)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await using var command = new NpgsqlCommand("SELECT channel, seq, msg_id, repaired FROM messages WHERE channel LIKE @prefix || '%' ORDER BY channel, seq", connection);
        command.Parameters.AddWithValue("prefix", channelPrefix);
        await using var reader = await command.ExecuteReaderAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var rows = new List<(string, long, string, bool)>();
        while (await reader.ReadAsync().WaitAsync(TimeSpan.FromSeconds(30)))
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetBoolean(3)));
        }
        return rows;
    }

    public Task<long> CountAsync(string channelPrefix) =>
        QueryScalarAsync<long>("SELECT count(*) FROM messages WHERE channel LIKE @prefix || '%'", ("prefix", channelPrefix));

    /// <summary>Polls a condition within a bounded time; on timeout, says what Message.Service was doing.</summary>
    public Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        BoundedWait.UntilAsync(condition, timeout, what,
            isTransient: ex => ex is NpgsqlException or RedisException,
            describe: () => Task.FromResult(Topology.Describe(ServiceName)));

    /// <summary>
    /// The sum of a Prometheus metric's samples on the service's <c>/metrics</c> (0 when absent), of those with
    /// <paramref name="label"/> (e.g. <c>outcome="new"</c>) when given.
    /// </summary>
    public async Task<double> MetricAsync(string name, string? label = null)
    {
        using var client = CreateClient();
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)).WaitAsync(TimeSpan.FromSeconds(30));
        return text.Split('\n')
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is ' ' or '{')
                && (label is null || line.Contains(label, StringComparison.Ordinal)))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A channel namespace/name prefix unique to one test run.</summary>
    public static string NewPrefix(string ns) => $"{ns}:{Guid.NewGuid():N}"[..(ns.Length + 13)];
}

[CollectionDefinition(nameof(MessageServiceCollection))]
public sealed class MessageServiceCollection : ICollectionFixture<MessageServiceFixture>;
