using System.Security.Claims;

namespace RealtimeAspire.Contracts.Auth;

/// <summary>
/// What a token allows: channel patterns to subscribe to (claim <c>sub_ch</c>) and to publish to (claim <c>pub_ch</c>).
/// A pattern is an exact channel (<c>chat:room-1</c>), a namespace wildcard (<c>chat:*</c>) or <c>*</c>.
/// Channels of the <c>user</c> namespace are private: <c>user:{id}</c> is open only to the user <c>id</c>,
/// whatever the patterns say, for subscribing; publishing to it needs an explicit pattern (a backend's token).
/// </summary>
public sealed class ChannelPermissions(string userId, IEnumerable<string> subscribePatterns, IEnumerable<string> publishPatterns)
{
    public const string SubscribeClaim = "sub_ch";
    public const string PublishClaim = "pub_ch";
    public const string PrivateNamespace = "user";

    private readonly string[] _subscribe = [.. subscribePatterns];
    private readonly string[] _publish = [.. publishPatterns];

    public string UserId { get; } = userId;

    /// <summary>The caller's rights from a validated token's claims, as Connection.Service reads them (<c>sub</c> and the two pattern claims).</summary>
    public static ChannelPermissions FromClaims(ClaimsPrincipal user) => new(
        user.FindFirst("sub")?.Value ?? "",
        user.FindAll(SubscribeClaim).Select(c => c.Value),
        user.FindAll(PublishClaim).Select(c => c.Value));

    public bool CanSubscribe(ChannelName channel) =>
        channel.Namespace == PrivateNamespace
            ? channel.Name == UserId
            : Matches(_subscribe, channel);

    public bool CanPublish(ChannelName channel) =>
        channel.Namespace == PrivateNamespace && channel.Name == UserId || Matches(_publish, channel) && !IsSomeoneElsesByWildcard(channel);

    /// <summary>A wildcard never opens another user's private channel; only an exact pattern (a backend's) does.</summary>
    private bool IsSomeoneElsesByWildcard(ChannelName channel) =>
        channel.Namespace == PrivateNamespace && channel.Name != UserId && !_publish.Contains(channel.Value, StringComparer.Ordinal);

    private static bool Matches(string[] patterns, ChannelName channel)
    {
        foreach (var pattern in patterns)
        {
            if (pattern == "*"
                || pattern == channel.Value
                || pattern.Length == channel.Namespace.Length + 2 && pattern.EndsWith(":*", StringComparison.Ordinal) && pattern.StartsWith(channel.Namespace, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
