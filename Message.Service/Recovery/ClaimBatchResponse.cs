namespace RealtimeAspire.MessageService.Recovery;

/// <summary>
/// The answer of <c>POST /internal/channels/claims</c>. <see cref="New"/>: claimed by this request, each counter starts
/// at 0 at once. <see cref="Known"/>: claimed before (its counter may have been lost); not answered here, the caller
/// claims each alone (<c>POST /internal/channels/{channel}/claim</c>), which waits for the safe answer.
/// </summary>
public sealed record ClaimBatchResponse(IReadOnlyList<string> New, IReadOnlyList<string> Known);
