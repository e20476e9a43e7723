namespace RealtimeAspire.Bench.Metrics;

/// <summary>
/// The presence frames the members of one phase (join storm or leave storm) received, over all members, per change
/// (a join or a leave) and per member. Bytes are WebSocket payload bytes of presence frames.
/// </summary>
internal sealed record PresenceTotals(
    long Frames,
    long Bytes,
    long NamedFrames,
    long SummaryFrames,
    double FramesPerChange,
    double BytesPerChange,
    double MeanFramesPerMember,
    long MaxFramesPerMember,
    double MeanBytesPerMember,
    long MaxBytesPerMember)
{
    /// <summary>
    /// <paramref name="frames"/>[i] and <paramref name="bytes"/>[i] are what member i received; <paramref name="changes"/>
    /// the joins (or leaves) that caused them.
    /// </summary>
    public static PresenceTotals From(IReadOnlyList<long> frames, IReadOnlyList<long> bytes, long named, long summaries, int changes)
    {
        if (frames.Count != bytes.Count)
        {
            throw new ArgumentException($"{frames.Count} frame counts for {bytes.Count} byte counts", nameof(bytes));
        }
        var totalFrames = frames.Sum();
        var totalBytes = bytes.Sum();
        var members = Math.Max(frames.Count, 1);
        var perChange = Math.Max(changes, 1);
        return new PresenceTotals(totalFrames, totalBytes, named, summaries,
            Math.Round(totalFrames / (double)perChange, 3),
            Math.Round(totalBytes / (double)perChange, 1),
            Math.Round(totalFrames / (double)members, 3),
            frames.Count == 0 ? 0 : frames.Max(),
            Math.Round(totalBytes / (double)members, 1),
            bytes.Count == 0 ? 0 : bytes.Max());
    }
}
