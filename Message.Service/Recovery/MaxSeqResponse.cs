namespace RealtimeAspire.MessageService.Recovery;

/// <summary>The answer of <c>GET /internal/channels/{channel}/max-seq</c>: 0 for a channel never seen.</summary>
public sealed record MaxSeqResponse(string Channel, long MaxSeq);
