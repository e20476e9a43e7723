namespace RealtimeAspire.MessageService.Persistence;

/// <summary>What one batch write did with each message.</summary>
public sealed record PersistOutcome(int Inserted, int Duplicates, IReadOnlyList<MessageConflict> Conflicts);
