using System.Globalization;
using System.Text;
using Confluent.Kafka;
using RealtimeAspire.Contracts;
using RealtimeAspire.Integrations.Kafka;

namespace RealtimeAspire.MessageService.Consumers;

/// <summary>
/// Produces unprocessable records to <see cref="KafkaTopics.DeadLetters"/> unchanged (key and value), with the
/// reason in header <c>dlq-reason</c> and where they came from in <c>dlq-source</c> (<c>topic[partition]@offset</c>).
/// </summary>
public sealed class DeadLetterProducer(KafkaConnection kafka, KafkaClientLog log) : IDisposable
{
    public const string ReasonHeader = "dlq-reason";
    public const string SourceHeader = "dlq-source";

    private readonly IProducer<string?, byte[]?> _producer = kafka.CreateProducerBuilder<string?, byte[]?>(new ProducerConfig
    {
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 2,
    }).SetLogHandler(log.OnLog).SetErrorHandler(log.OnError).Build();

    public Task SendAsync(ConsumeResult<string?, byte[]?> record, string reason, CancellationToken cancellationToken)
    {
        var headers = new Headers
        {
            { ReasonHeader, Encoding.UTF8.GetBytes(reason) },
            { SourceHeader, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{record.Topic}[{record.Partition.Value}]@{record.Offset.Value}")) },
        };
        return kafka.Telemetry.ProduceAsync(_producer, KafkaTopics.DeadLetters, new Message<string?, byte[]?> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers }, cancellationToken);
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }
}
