using System.Diagnostics.Metrics;

namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>
/// The .NET client's own counters (meter <c>RealtimeAspire.Client</c>) over one scenario: duplicates it dropped
/// (a message delivered again on the wire, e.g. a resume overlap) and messages it fetched to fill a gap. They are
/// process-wide: the suite runs one scenario at a time.
/// </summary>
public sealed class ClientCounters : IDisposable
{
    private const string MeterName = "RealtimeAspire.Client";
    private readonly MeterListener _listener = new();
    private long _duplicates;
    private long _gapFills;
    private long _reconnects;

    public ClientCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name is "realtime.client.messages.duplicates" or "realtime.client.gap_fills" or "realtime.client.reconnects")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "realtime.client.messages.duplicates":
                    Interlocked.Add(ref _duplicates, value);
                    break;
                case "realtime.client.gap_fills":
                    Interlocked.Add(ref _gapFills, value);
                    break;
                default:
                    Interlocked.Add(ref _reconnects, value);
                    break;
            }
        });
        _listener.Start();
    }

    /// <summary>Messages that arrived twice on the wire and the client dropped (protocol-level duplicates).</summary>
    public long WireDuplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Messages fetched from the history API because a gap stayed open.</summary>
    public long GapFills => Interlocked.Read(ref _gapFills);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public void Dispose() => _listener.Dispose();
}
