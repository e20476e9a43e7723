namespace RealtimeAspire.MessageService.Gaps;

/// <summary>What a scan of one channel's persisted sequence found.</summary>
public sealed record SequenceScan(long ContiguousThrough, IReadOnlyList<SequenceRange> Gaps);
