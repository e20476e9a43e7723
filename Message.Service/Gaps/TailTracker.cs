namespace RealtimeAspire.MessageService.Gaps;

/// <summary>
/// The unpersisted tail of a channel: numbers Redis has handed out (its counter) above everything persisted or
/// recorded lost. Nothing later reveals such a hole when the channel goes quiet, so it is found by comparing the
/// counter with the persisted sequence. A number is overdue once it was already handed out a grace period ago and
/// is still missing: the tracker remembers when it saw each counter value, so a steady flow of new messages (always
/// a little ahead of the consumer) never makes a fresh number overdue, and an old one is not kept young by it.
/// </summary>
public sealed class TailTracker(TimeProvider time, TimeSpan gracePeriod)
{
    private readonly Dictionary<string, List<(DateTimeOffset At, long Counter)>> _seen = new(StringComparer.Ordinal);

    /// <summary>
    /// Records that <paramref name="counter"/> is the channel's last handed-out number while everything through
    /// <paramref name="knownThrough"/> is persisted or recorded lost; returns the numbers that are overdue, if any.
    /// </summary>
    public SequenceRange? Observe(string channel, long knownThrough, long counter)
    {
        if (counter <= knownThrough)
        {
            _seen.Remove(channel);
            return null;
        }
        var now = time.GetUtcNow();
        if (!_seen.TryGetValue(channel, out var seen))
        {
            _seen[channel] = seen = [];
        }
        if (seen.Count == 0 || counter > seen[^1].Counter)
        {
            seen.Add((now, counter));
        }

        // The newest observation at least a grace period old: every number up to its counter has had its time.
        var due = -1;
        for (var i = 0; i < seen.Count && now - seen[i].At >= gracePeriod; i++)
        {
            due = i;
        }
        if (due < 0)
        {
            return null;
        }
        // Older observations say nothing more than that one.
        seen.RemoveRange(0, due);
        var overdueThrough = Math.Min(seen[0].Counter, counter);
        return overdueThrough > knownThrough ? new SequenceRange(knownThrough + 1, overdueThrough) : null;
    }

    /// <summary>Forgets every channel not in <paramref name="channels"/>.</summary>
    public void Retain(IReadOnlySet<string> channels)
    {
        foreach (var channel in _seen.Keys.Where(c => !channels.Contains(c)).ToList())
        {
            _seen.Remove(channel);
        }
    }
}
