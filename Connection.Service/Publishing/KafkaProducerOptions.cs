using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.ConnectionService.Publishing;

/// <summary>Section <c>Kafka:Producer</c>.</summary>
public sealed class KafkaProducerOptions
{
    public const string SectionName = "Kafka:Producer";

    /// <summary>
    /// librdkafka's <c>message.timeout.ms</c>: how long a produce may be retried before it fails. Message.Service's
    /// sequence recovery waits this long for produces still in flight, so the two must agree.
    /// </summary>
    [Range(1000, 300_000)] public int DeliveryTimeoutMs { get; set; } = 5000;

    /// <summary><c>linger.ms</c>: a little batching without hurting publish→ack latency.</summary>
    [Range(0, 1000)] public double LingerMs { get; set; } = 2;
}
