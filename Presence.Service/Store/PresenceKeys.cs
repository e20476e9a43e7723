namespace RealtimeAspire.PresenceService.Store;

/// <summary>
/// The presence keys in Redis, all under one prefix (default <c>rt:{presence}:</c>; the braces are a hash tag so
/// that a cluster keeps them in one slot and a script may touch any of them). The scripts build the same names.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>replicas</c></term><description>sorted set: replica → lease deadline (unix ms)</description></item>
/// <item><term><c>r:{replica}</c></term><description>hash: <c>connection\nchannel</c> → <c>user\nname</c>, the replica's membership</description></item>
/// <item><term><c>c:{channel}:n</c></term><description>hash: user → connections (all replicas); HLEN is the member count</description></item>
/// <item><term><c>c:{channel}:m</c></term><description>hash: user → <c>sinceMs\nname</c></description></item>
/// <item><term><c>u:{user}</c></term><description>hash: channel → connections; empty (absent) means offline</description></item>
/// <item><term><c>s:{user}</c></term><description>string: last seen (unix ms), no expiry, survives restarts</description></item>
/// <item><term><c>online</c></term><description>integer: users in at least one channel</description></item>
/// </list>
/// </remarks>
public sealed class PresenceKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public string Replicas => Prefix + "replicas";

    public string ChannelCounts(string channel) => $"{Prefix}c:{channel}:n";

    public string ChannelMembers(string channel) => $"{Prefix}c:{channel}:m";

    public string User(string user) => $"{Prefix}u:{user}";

    public string LastSeen(string user) => $"{Prefix}s:{user}";

    public string Online => Prefix + "online";
}
