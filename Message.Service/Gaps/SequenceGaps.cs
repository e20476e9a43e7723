namespace RealtimeAspire.MessageService.Gaps;

/// <summary>Finds holes in a channel's sequence (sequences start at 1 and increase by exactly one).</summary>
public static class SequenceGaps
{
    /// <summary>
    /// <paramref name="sortedSeqs"/>: the persisted (or recorded-lost) sequence numbers above
    /// <paramref name="contiguousThrough"/>, ascending, duplicates allowed. Returns how far the sequence is now known
    /// to be complete and every hole between the known prefix and the highest number seen.
    /// </summary>
    public static SequenceScan Scan(long contiguousThrough, IEnumerable<long> sortedSeqs)
    {
        var contiguous = contiguousThrough;
        var previous = contiguousThrough;
        var gaps = new List<SequenceRange>();
        foreach (var seq in sortedSeqs)
        {
            if (seq <= previous)
            {
                continue;
            }
            if (seq == previous + 1)
            {
                if (gaps.Count == 0)
                {
                    contiguous = seq;
                }
            }
            else
            {
                gaps.Add(new SequenceRange(previous + 1, seq - 1));
            }
            previous = seq;
        }
        return new SequenceScan(contiguous, gaps);
    }
}
