namespace RealtimeAspire.Client;

/// <summary>The durable ack of a publish: sent by the server only after Kafka acknowledged the message.</summary>
public readonly record struct PublishAck(long Seq, string MsgId);
