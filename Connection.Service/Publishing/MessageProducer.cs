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
    public async Task ProduceAsync(string channel, byte[] envelope, CancellationToken cancellationToken)
    {
        using var activity = _telemetry.StartSend(KafkaTopics.Messages);
        try
        {
            var delivered = await _producer.ProduceAsync(KafkaTopics.Messages, new Message<string, byte[]> { Key = channel, Value = envelope }, cancellationToken);
            KafkaClientTelemetry.Delivered(activity, delivered.TopicPartitionOffset);
        }
        catch (Exception ex) when (ex is KafkaException or OperationCanceledException)
        {
            KafkaClientTelemetry.Failed(activity, ex);
            throw;
        }
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
