using RealtimeAspire.Bench.Metrics;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>The result of one fan-out or chat run against one target.</summary>
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
    LatencySummary? PublishAck);
