namespace RealtimeAspire.PresenceService.Store;

/// <summary>
/// Who is in which channel, kept per Connection.Service replica under a lease. Every update is atomic and reports
/// the 0→1 / 1→0 transitions it caused, so several Presence.Service instances may share one store without
/// reporting an event twice. Two implementations: <see cref="RedisPresenceStore"/> (the product) and
/// <see cref="InMemoryPresenceStore"/> (one process); one test suite runs against both.
/// </summary>
public interface IPresenceStore
{
    /// <summary>Applies a replica's joins and leaves in order and renews its lease.</summary>
    Task<PresenceUpdate> ApplyAsync(string replica, IReadOnlyList<PresenceChange> changes, CancellationToken cancellationToken);

    /// <summary>Replaces a replica's whole membership with <paramref name="members"/> and renews its lease: what is
    /// missing joins, what is no longer there leaves. Heals any lost report.</summary>
    Task<PresenceUpdate> RefreshAsync(string replica, IReadOnlyList<PresenceEntry> members, CancellationToken cancellationToken);

    /// <summary>Removes a replica's membership at once (a replica shutting down): every member leaves.</summary>
    Task<PresenceUpdate> ReleaseAsync(string replica, CancellationToken cancellationToken);

    /// <summary>Replicas whose lease has lapsed.</summary>
    Task<IReadOnlyList<string>> LapsedReplicasAsync(CancellationToken cancellationToken);

    /// <summary>Expires a replica whose lease has lapsed (nothing when it was renewed meanwhile, or another caller
    /// expired it first): all its members leave.</summary>
    Task<PresenceUpdate> ExpireAsync(string replica, CancellationToken cancellationToken);

    /// <summary>How many users are in a channel: O(1), for channels of any size.</summary>
    Task<long> CountAsync(string channel, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> members of a channel, in no particular order.</summary>
    Task<IReadOnlyList<ChannelMember>> MembersAsync(string channel, int limit, CancellationToken cancellationToken);

    Task<UserPresence> UserAsync(string user, CancellationToken cancellationToken);

    /// <summary>Users present in at least one channel.</summary>
    Task<long> OnlineUsersAsync(CancellationToken cancellationToken);
}
