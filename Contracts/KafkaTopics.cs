namespace RealtimeAspire.Contracts;

public static class KafkaTopics
{
    /// <summary>Every durable message, key = channel, value = <see cref="Wire.MessageEnvelope"/> JSON.</summary>
    public const string Messages = "messages";

    /// <summary>Messages Message.Service could not process, with the reason in header <c>dlq-reason</c>.</summary>
    public const string DeadLetters = "messages.dlq";
}
