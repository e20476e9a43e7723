namespace RealtimeAspire.MessageService.Recovery;

/// <summary>The body of <c>POST /internal/channels/claims</c>: the channels one Connection.Service replica found without a counter.</summary>
public sealed record ClaimBatchRequest(IReadOnlyList<string?>? Channels);
