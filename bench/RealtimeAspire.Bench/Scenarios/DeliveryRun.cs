using RealtimeAspire.Bench.Metrics;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// The result of one fan-out or chat run against one target. <see cref="EdgeCpuMicrosPerFrame"/>: through a proxy, its
/// CPU time over the measured publishes ÷ the frames it forwarded (publishes in, deliveries out). <see cref="FirstPublish"/>:
/// the product's first publish → ack on each of the run's fresh channels, before the measured load.
/// </summary>
internal sealed record DeliveryRun(
    string Target,
    int Connections,
    int FailedConnections,
    double ConnectsPerSecond,
    long Published,
    double PublishSeconds,
    LatencySummary Latency,
    double DeliveriesPerSecond,
    DeliveryTotals Deliveries,
    LatencySummary? PublishAck,
    double? EdgeCpuMicrosPerFrame = null,
    LatencySummary? FirstPublish = null);
