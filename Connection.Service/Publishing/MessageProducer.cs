using Confluent.Kafka;
using Microsoft.Extensions.Options;
using RealtimeAspire.Contracts;
using RealtimeAspire.Integrations.Kafka;

namespace RealtimeAspire.ConnectionService.Publishing;

/// <summary>The idempotent, acks=all producer of topic <c>messages</c>, key = channel (one channel, one partition).</summary>
public sealed class MessageProducer : IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly KafkaClientTelemetry _telemetry;

    public MessageProducer(KafkaConnection kafka, IOptions<KafkaProducerOptions> options, KafkaClientLog log)
    {
        _telemetry = kafka.Telemetry;
        _producer = kafka.CreateProducerBuilder<string, byte[]>(new ProducerConfig
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = options.Value.LingerMs,
            MessageTimeoutMs = options.Value.DeliveryTimeoutMs,
            // The ack needs only success or the error: not copies of the key and value back from librdkafka.
            DeliveryReportFields = "none",
        }).SetLogHandler(log.OnLog).SetErrorHandler(log.OnError).Build();
    }

    /// <summary>Completes when Kafka has acknowledged the message; throws when it never will.</summary>
    public Task ProduceAsync(string channel, byte[] envelope, CancellationToken cancellationToken) =>
        _telemetry.ProduceAsync(_producer, KafkaTopics.Messages, new Message<string, byte[]> { Key = channel, Value = envelope }, cancellationToken);

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
