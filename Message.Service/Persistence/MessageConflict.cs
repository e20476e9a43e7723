namespace RealtimeAspire.MessageService.Persistence;

/// <summary>A message refused because its (channel, seq) or its id already belongs to a different message.</summary>
public sealed record MessageConflict(IncomingMessage Message, string? ExistingMsgId);
