namespace RealtimeAspire.MessageService.Gaps;

/// <summary>Sequence numbers <see cref="From"/>..<see cref="To"/>, both included.</summary>
public readonly record struct SequenceRange(long From, long To)
{
    public long Count => To - From + 1;

    public bool Overlaps(SequenceRange other) => From <= other.To && other.From <= To;

    public override string ToString() => From == To ? $"{From}" : $"{From}..{To}";
}
