using System.Text.Json;

namespace RealtimeAspire.Contracts;

/// <summary>One message of a history page: the same fields as the wire's <c>message</c> frame.</summary>
public sealed record HistoryMessage(string Channel, long Seq, string MsgId, string From, long Ts, JsonElement Data);

/// <summary>
/// <c>GET /api/channels/{channel}/messages?after={seq}&amp;limit={n}</c> (or <c>before=</c>): messages in sequence order.
/// </summary>
public sealed record HistoryPage(string Channel, IReadOnlyList<HistoryMessage> Messages, bool HasMore);
