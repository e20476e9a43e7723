namespace RealtimeAspire.Contracts.Wire;

/// <summary>The fields of a <c>message</c> frame as <see cref="MessageFrame.TryParse"/> reads them; <see cref="Data"/> is the raw JSON.</summary>
public sealed record MessageFrameContent(string Channel, long Seq, string MsgId, string From, long Ts, string Data);
