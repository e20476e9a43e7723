namespace RealtimeAspire.MessageService.Persistence;

/// <summary>A validated message ready to persist; <see cref="Data"/> is the publisher's JSON value as text.</summary>
public sealed record IncomingMessage(
    string Channel,
    long Seq,
    string MsgId,
    string From,
    long Ts,
    string Data,
    string? TraceParent = null,
    string? TraceState = null);
