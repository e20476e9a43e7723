namespace RealtimeAspire.Client;

/// <summary>A page of the history API, in ascending sequence order.</summary>
public sealed record RealtimeHistoryPage(string Channel, IReadOnlyList<RealtimeMessage> Messages, bool HasMore);
