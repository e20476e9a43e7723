using RealtimeAspire.Bench.Metrics;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>One sample of Message.Service's metrics during a persist run.</summary>
internal sealed record PersistSample(double Seconds, long Persisted, long Lag);

/// <summary>Publish → PostgreSQL throughput, from Message.Service's persisted counter and consumer lag.</summary>
internal sealed record PersistRun(
    string Target,
    int Publishers,
    int Channels,
    long Requested,
    long Acked,
    long Refused,
    double PublishSeconds,
    double PublishesPerSecond,
    LatencySummary PublishAck,
    long Persisted,
    double PersistSeconds,
    double PersistedPerSecond,
    double PeakPersistedPerSecond,
    long FinalLag,
    double? SecondsToZeroLag,
    IReadOnlyList<PersistSample> Samples);
