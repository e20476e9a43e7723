namespace RealtimeAspire.ConnectionService.History;

/// <summary>Messages a client asked for are neither in Redis's recent history nor obtainable from Message.Service.</summary>
public sealed class HistoryUnavailableException(string channel, long since, Exception? inner = null)
    : Exception($"History of '{channel}' after {since} is not available.", inner)
{
    public string Channel { get; } = channel;
    public long Since { get; } = since;
}
