namespace RealtimeAspire.Client;

/// <summary>
/// The presence API's answer (<c>GET /api/channels/{channel}/presence</c>): <see cref="Count"/> is always the total;
/// <see cref="Members"/> holds up to the requested limit, in no particular order, and is null for <c>countOnly</c>.
/// </summary>
public sealed record RealtimeChannelPresence(string Channel, long Count, IReadOnlyList<RealtimePresenceMember>? Members);
