namespace RealtimeAspire.ConnectionService.Publishing;

/// <summary>The ack of a publish: the message's position in its channel (0 for ephemeral channels) and its id.</summary>
public readonly record struct PublishResult(long Seq, string MsgId);
