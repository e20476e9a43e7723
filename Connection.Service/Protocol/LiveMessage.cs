namespace RealtimeAspire.ConnectionService.Protocol;

/// <summary>A message as the fan-out and history hand it to subscriptions: position, publish time (0 when unknown) and the frame.</summary>
public readonly record struct LiveMessage(long Seq, long PublishedAtMs, FrameKind Kind, ReadOnlyMemory<byte> Frame);
