namespace RealtimeAspire.MessageService.Recovery;

/// <summary>
/// The answer of <c>POST /internal/channels/{channel}/claim</c>: where the channel's counter starts (the highest number
/// used so far) and whether the channel is new (claimed by this request, nothing to wait for).
/// </summary>
public sealed record ClaimResponse(string Channel, long MaxSeq, bool New);
