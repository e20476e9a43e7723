namespace RealtimeAspire.Contracts.Wire;

/// <summary>
/// The field names the message frame and the Kafka envelope share: what the writers write and the readers look up.
/// camelCase, as System.Text.Json's web defaults name <see cref="MessageEnvelope"/>'s properties.
/// </summary>
internal static class WireFields
{
    public const string Type = "type";
    public const string MessageType = "message";
    public const string Channel = "channel";
    public const string MsgId = "msgId";
    public const string From = "from";
    public const string Ts = "ts";
    public const string Data = "data";
    public const string Seq = "seq";
    public const string TraceParent = "traceParent";
    public const string TraceState = "traceState";
}
