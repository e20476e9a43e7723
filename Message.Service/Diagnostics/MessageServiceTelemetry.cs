using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RealtimeAspire.MessageService.Diagnostics;

/// <summary>The service's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both <c>RealtimeAspire.MessageService</c>.</summary>
public sealed class MessageServiceTelemetry : IDisposable
{
    public const string Name = "RealtimeAspire.MessageService";

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<int, long> _lagByPartition = new();

    public MessageServiceTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        BatchSize = _meter.CreateHistogram<int>("realtime.messages.batch.size", "{message}", "Messages written per PostgreSQL transaction.");
        Persisted = _meter.CreateCounter<long>("realtime.messages.persisted", "{message}", "Messages newly written to PostgreSQL.");
        WriteDuration = _meter.CreateHistogram<double>("realtime.messages.db.write.duration", "s", "Duration of one batch transaction.");
        Duplicates = _meter.CreateCounter<long>("realtime.messages.duplicates", "{message}", "Re-delivered messages ignored (already persisted).");
        Conflicts = _meter.CreateCounter<long>("realtime.messages.conflicts", "{message}", "Messages whose channel+seq or id is taken by a different message.");
        DeadLettered = _meter.CreateCounter<long>("realtime.messages.dead_lettered", "{message}", "Messages sent to the dead-letter topic.");
        GapsRepaired = _meter.CreateCounter<long>("realtime.messages.gaps.repaired", "{message}", "Missing messages recovered from Redis history.");
        GapsLost = _meter.CreateCounter<long>("realtime.messages.gaps.lost", "{message}", "Missing messages Redis no longer had: recorded lost.");
        Claims = _meter.CreateCounter<long>("realtime.sequence.claims", "{claim}", "Counter starts asked by Connection.Service; outcome: new (at once) or recovered (after the wait).");
        ClaimBatchSize = _meter.CreateHistogram<int>("realtime.sequence.claim.batch.size", "{channel}", "Channels named per batch claim (one statement, one commit).");
        _meter.CreateObservableGauge("realtime.messages.consumer.lag", ObserveLag, "{message}", "High watermark minus position, per assigned partition.");
        ActivitySource = new ActivitySource(Name);
    }

    public ActivitySource ActivitySource { get; }

    public Histogram<int> BatchSize { get; }

    public Counter<long> Persisted { get; }

    public Histogram<double> WriteDuration { get; }

    public Counter<long> Duplicates { get; }

    public Counter<long> Conflicts { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> GapsRepaired { get; }

    public Counter<long> GapsLost { get; }

    public Counter<long> Claims { get; }

    public Histogram<int> ClaimBatchSize { get; }

    public void SetLag(int partition, long lag) => _lagByPartition[partition] = lag;

    public void ClearLag(int partition) => _lagByPartition.TryRemove(partition, out _);

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _lagByPartition.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("partition", p.Key)));

    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }
}
