namespace RealtimeAspire.ConnectionService.Presence;

/// <summary>
/// One connection of this replica in one presence channel. <see cref="Connection"/> is the connection id, or for
/// long polling <c>poll:{user}</c>: polls come and go, the client stays (see <see cref="ActivePolls"/>).
/// </summary>
public sealed class LocalMember(string connection, string channel, string user, string name, bool longPoll)
{
    public string Connection { get; } = connection;
    public string Channel { get; } = channel;
    public string User { get; } = user;
    public string Name { get; } = name;
    public bool LongPoll { get; } = longPoll;

    /// <summary>Long poll: polls of the user to the channel being held right now.</summary>
    public int ActivePolls { get; set; }

    /// <summary>Long poll, no poll held: when the member leaves unless a poll comes first.</summary>
    public DateTimeOffset? LeavesAt { get; set; }
}
