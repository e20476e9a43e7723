using System.Text.Json;
using Confluent.Kafka;
using RealtimeAspire.ConnectionService.Tests.Clients;
using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Wire;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>What an ack promises: the message is on Kafka, keyed by channel, with its position and its trace context.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class KafkaEnvelopeTests(ClusterTopology cluster)
{
    [Fact]
    public async Task EveryAcknowledgedMessageIsOnKafkaKeyedByChannelWithPositionAndTraceContext()
    {
        var channel = $"chat:durable-{Guid.NewGuid():N}";
        await using var publisher = await Publishers.ConnectAsync(cluster.Replica(0), "durable");
        var acks = new Dictionary<string, long>();
        for (var i = 0; i < 20; i++)
        {
            var ack = await publisher.PublishAsync(channel, new { i, text = "durable" }).WaitAsync(TimeSpan.FromSeconds(15));
            acks[ack.MsgId] = ack.Seq;
        }

        var bootstrap = (await cluster.Topology.Instance("kafka").ConnectionStringAsync())!;
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"test-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(KafkaTopics.Messages);
        var found = new Dictionary<string, JsonElement>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (found.Count < acks.Count && DateTime.UtcNow < deadline)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (record?.Message is { } message && message.Key == channel)
            {
                using var envelope = JsonDocument.Parse(message.Value);
                found[envelope.RootElement.GetProperty("msgId").GetString()!] = envelope.RootElement.Clone();
            }
        }
        consumer.Close();

        Assert.Equal(acks.Keys.Order(), found.Keys.Order());
        Assert.All(found, pair =>
        {
            var envelope = pair.Value;
            Assert.Equal(acks[pair.Key], envelope.GetProperty("seq").GetInt64());
            Assert.Equal(channel, envelope.GetProperty("channel").GetString());
            Assert.Equal("durable", envelope.GetProperty("from").GetString());
            Assert.Equal("durable", envelope.GetProperty("data").GetProperty("text").GetString());
            Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", envelope.GetProperty("traceParent").GetString());
            var deserialized = envelope.Deserialize<MessageEnvelope>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
            Assert.Equal(pair.Key, deserialized!.MsgId);
        });
    }
}
