using System.Collections;

namespace RealtimeAspire.Bench.Metrics;

/// <summary>
/// What one subscriber received, by the benchmark's own sequence number (1-based, in the message data). Written
/// only by that subscriber's receive loop; read after the run.
/// </summary>
internal sealed class DeliveryLedger(int capacity)
{
    private readonly BitArray _seen = new(capacity + 1);

    public long Distinct { get; private set; }

    public long Duplicates { get; private set; }

    /// <summary>Sequence numbers outside 1..capacity (never published by this run).</summary>
    public long Unexpected { get; private set; }

    public void Record(long sequence)
    {
        if (sequence < 1 || sequence >= _seen.Length)
        {
            Unexpected++;
            return;
        }
        var index = (int)sequence;
        if (_seen[index])
        {
            Duplicates++;
            return;
        }
        _seen[index] = true;
        Distinct++;
    }

    /// <summary>Messages 1..<paramref name="published"/> this subscriber never received.</summary>
    public long LostOf(long published)
    {
        long lost = 0;
        for (var i = 1; i <= published && i < _seen.Length; i++)
        {
            if (!_seen[i])
            {
                lost++;
            }
        }
        return lost;
    }
}
