namespace RealtimeAspire.MessageService.Gaps;

/// <summary>
/// Remembers since when each gap has been open, so only gaps older than the grace period are repaired: a gap is
/// usually just a message still on its way (two publishers' produces may reach Kafka out of order). A gap that
/// shrinks keeps the age of the gap it came from.
/// </summary>
public sealed class GapTracker(TimeProvider time, TimeSpan gracePeriod)
{
    private readonly Dictionary<string, List<(SequenceRange Range, DateTimeOffset Since)>> _open = new(StringComparer.Ordinal);

    /// <summary>Records the channel's current gaps and returns those open for at least the grace period.</summary>
    public IReadOnlyList<SequenceRange> Observe(string channel, IReadOnlyList<SequenceRange> gaps)
    {
        var now = time.GetUtcNow();
        var known = _open.GetValueOrDefault(channel) ?? [];
        var current = new List<(SequenceRange, DateTimeOffset)>(gaps.Count);
        var overdue = new List<SequenceRange>();
        foreach (var gap in gaps)
        {
            var since = now;
            foreach (var (range, seen) in known)
            {
                if (range.Overlaps(gap) && seen < since)
                {
                    since = seen;
                }
            }
            current.Add((gap, since));
            if (now - since >= gracePeriod)
            {
                overdue.Add(gap);
            }
        }
        if (current.Count == 0)
        {
            _open.Remove(channel);
        }
        else
        {
            _open[channel] = current;
        }
        return overdue;
    }

    /// <summary>Forgets every channel not in <paramref name="channels"/> (their gaps have closed).</summary>
    public void Retain(IReadOnlySet<string> channels)
    {
        foreach (var channel in _open.Keys.Where(c => !channels.Contains(c)).ToList())
        {
            _open.Remove(channel);
        }
    }
}
