using Aspire.Hosting;
using Npgsql;
using RealtimeAspire.Contracts;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.AppHost.Topology;
using RealtimeAspire.Testing;

namespace RealtimeAspire.MessageService.Tests.Functional;

/// <summary>Two instances from the first start: they migrate one at a time and share the partitions.</summary>
[Collection(nameof(MessageServiceCollection))]
public sealed class ScaleOutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task TwoInstancesStartingTogetherMigrateOnceAndSplitThePartitions()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var topology = await TestTopology.StartAsync(new TestTopologyOptions(), (b, secrets) =>
        {
            var db = b.AddLocalPostgres("postgres", secrets).AddDatabase("messages");
            var broker = b.AddKafkaDevBroker("kafka");
            var redis = b.AddLocalRedis("redis", secrets);
            b.AddReplicas<Projects.Message_Service>("message-service", 2, instance => instance
                .WithReference(db).WaitFor(db)
                .WithReference(broker).WaitFor(broker)
                .WithReference(redis).WaitFor(redis)
                .WithEnvironment("Auth__SigningKey", MessageServiceFixture.SigningKey));
        }, cts.Token).WaitAsync(Timeout);
        try
        {
            await RunAsync(topology, (await topology.Instance("messages").ConnectionStringAsync())!, (await topology.Instance("kafka").ConnectionStringAsync())!);
        }
        finally
        {
            await topology.DisposeAsync().AsTask().WaitAsync(Timeout);
        }
    }

    private static async Task RunAsync(TestTopology topology, string database, string kafka)
    {
        await topology.WaitForAllHealthyAsync(Timeout).WaitAsync(Timeout);

        var prefix = MessageServiceFixture.NewPrefix("scale");
        using (var producer = new Confluent.Kafka.ProducerBuilder<string, byte[]>(new Confluent.Kafka.ProducerConfig
        {
            BootstrapServers = kafka,
            Acks = Confluent.Kafka.Acks.All,
            EnableIdempotence = true,
        }).Build())
        {
            var deliveries = Enumerable.Range(1, 250)
                .SelectMany(seq => Enumerable.Range(0, 16).Select(c => MessageServiceFixture.Envelope($"{prefix}-{c}", seq)))
                .Select(e => producer.ProduceAsync(KafkaTopics.Messages, new Confluent.Kafka.Message<string, byte[]> { Key = e.Channel, Value = MessageServiceFixture.Serialize(e) }))
                .ToList();
            await Task.WhenAll(deliveries).WaitAsync(Timeout);
        }

        var deadline = DateTime.UtcNow + Timeout;
        long count = 0;
        while (DateTime.UtcNow < deadline && count < 4000)
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync().WaitAsync(Timeout);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM messages WHERE channel LIKE @p || '%'", connection);
            command.Parameters.AddWithValue("p", prefix);
            count = (long)(await command.ExecuteScalarAsync().WaitAsync(Timeout))!;
            await Task.Delay(100);
        }
        Assert.Equal(4000, count);

        foreach (var name in new[] { "message-service-0", "message-service-1" })
        {
            await topology.Instance(name).WaitForLogAsync(line => line.Contains("Partitions assigned: messages [", StringComparison.Ordinal), Timeout, "its partitions");
        }
        var logs = new[] { "message-service-0", "message-service-1" }.Select(name => topology.Instance(name).Logs.Tail(int.MaxValue)).ToList();
        Assert.Equal(1, logs.Sum(log => log.Count(line => line.Contains("Applying migrations", StringComparison.Ordinal))));
        Assert.All(logs, log => Assert.Contains(log, line => line.Contains("Partitions assigned: messages [", StringComparison.Ordinal)));
    }
}
