using Microsoft.Extensions.Options;
using RealtimeAspire.PresenceService.Configuration;

namespace RealtimeAspire.PresenceService.Store;

/// <summary>
/// <see cref="IPresenceStore"/> in one process, under one lock: for tests and a single-instance development setup.
/// Same model as <see cref="RedisPresenceStore"/>: per-replica memberships under a lease, counts per channel and user.
/// </summary>
public sealed class InMemoryPresenceStore(IOptions<PresenceOptions> options, TimeProvider time) : IPresenceStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<(string Connection, string Channel), PresenceEntry>> _replicas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, Member>> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, long>> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastSeen = new(StringComparer.Ordinal);

    public Task<PresenceUpdate> ApplyAsync(string replica, IReadOnlyList<PresenceChange> changes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var update = new Builder(time.GetUtcNow().ToUnixTimeMilliseconds());
            update.SincePrevious = Renew(replica, update.Now);
            var members = Membership(replica);
            foreach (var change in changes)
            {
                if (change.Join)
                {
                    Join(members, change.Entry, update);
                }
                else
                {
                    Leave(members, change.Entry.Connection, change.Entry.Channel, update);
                }
            }
            return Task.FromResult(update.Build());
        }
    }

    public Task<PresenceUpdate> RefreshAsync(string replica, IReadOnlyList<PresenceEntry> members, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var update = new Builder(time.GetUtcNow().ToUnixTimeMilliseconds());
            update.SincePrevious = Renew(replica, update.Now);
            var current = Membership(replica);
            var wanted = members.Select(m => (m.Connection, m.Channel)).ToHashSet();
            foreach (var key in current.Keys.Where(k => !wanted.Contains(k)).ToArray())
            {
                Leave(current, key.Connection, key.Channel, update);
            }
            foreach (var entry in members)
            {
                Join(current, entry, update);
            }
            return Task.FromResult(update.Build());
        }
    }

    public Task<PresenceUpdate> ReleaseAsync(string replica, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(RemoveReplica(replica));
        }
    }

    public Task<IReadOnlyList<string>> LapsedReplicasAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            return Task.FromResult<IReadOnlyList<string>>([.. _leases.Where(l => l.Value <= now).Select(l => l.Key)]);
        }
    }

    public Task<PresenceUpdate> ExpireAsync(string replica, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            return Task.FromResult(_leases.TryGetValue(replica, out var deadline) && deadline <= now ? RemoveReplica(replica) : PresenceUpdate.None);
        }
    }

    public Task<long> CountAsync(string channel, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_channels.TryGetValue(channel, out var members) ? (long)members.Count : 0);
        }
    }

    public Task<IReadOnlyList<ChannelMember>> MembersAsync(string channel, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<ChannelMember> members = _channels.TryGetValue(channel, out var all)
                ? [.. all.Take(limit).Select(m => new ChannelMember(m.Key, m.Value.Name, m.Value.Connections, DateTimeOffset.FromUnixTimeMilliseconds(m.Value.SinceMs)))]
                : [];
            return Task.FromResult(members);
        }
    }

    public Task<UserPresence> UserAsync(string user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<string> channels = _users.TryGetValue(user, out var counts) ? [.. counts.Keys] : [];
            DateTimeOffset? seen = _lastSeen.TryGetValue(user, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
            return Task.FromResult(new UserPresence(user, channels, seen));
        }
    }

    public Task<long> OnlineUsersAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_users.Count);
        }
    }

    private TimeSpan? Renew(string replica, long now)
    {
        var ttl = (long)options.Value.ReplicaTtl.TotalMilliseconds;
        TimeSpan? since = _leases.TryGetValue(replica, out var previous) ? TimeSpan.FromMilliseconds(Math.Max(0, now - (previous - ttl))) : null;
        _leases[replica] = now + ttl;
        return since;
    }

    private Dictionary<(string Connection, string Channel), PresenceEntry> Membership(string replica)
    {
        if (!_replicas.TryGetValue(replica, out var members))
        {
            _replicas[replica] = members = [];
        }
        return members;
    }

    private PresenceUpdate RemoveReplica(string replica)
    {
        var update = new Builder(time.GetUtcNow().ToUnixTimeMilliseconds());
        if (_replicas.Remove(replica, out var members))
        {
            foreach (var key in members.Keys.ToArray())
            {
                Leave(members, key.Connection, key.Channel, update);
            }
        }
        _leases.Remove(replica);
        return update.Build();
    }

    private void Join(Dictionary<(string Connection, string Channel), PresenceEntry> replica, PresenceEntry entry, Builder update)
    {
        if (!replica.TryAdd((entry.Connection, entry.Channel), entry))
        {
            return;
        }
        if (!_channels.TryGetValue(entry.Channel, out var members))
        {
            _channels[entry.Channel] = members = new(StringComparer.Ordinal);
        }
        if (!members.TryGetValue(entry.User, out var member))
        {
            members[entry.User] = member = new Member(entry.Name, update.Now);
            update.Transitions.Add(new PresenceTransition(entry.Channel, entry.User, entry.Name, Joined: true));
        }
        member.Connections++;
        update.Counts.Add(member.Connections);
        if (!_users.TryGetValue(entry.User, out var channels))
        {
            _users[entry.User] = channels = new(StringComparer.Ordinal);
        }
        channels[entry.Channel] = channels.GetValueOrDefault(entry.Channel) + 1;
        _lastSeen[entry.User] = update.Now;
    }

    private void Leave(Dictionary<(string Connection, string Channel), PresenceEntry> replica, string connection, string channel, Builder update)
    {
        if (!replica.Remove((connection, channel), out var entry))
        {
            return;
        }
        var members = _channels[channel];
        var member = members[entry.User];
        if (--member.Connections <= 0)
        {
            members.Remove(entry.User);
            if (members.Count == 0)
            {
                _channels.Remove(channel);
            }
            update.Transitions.Add(new PresenceTransition(channel, entry.User, entry.Name, Joined: false));
        }
        var channels = _users[entry.User];
        if (--channels[channel] <= 0)
        {
            channels.Remove(channel);
            if (channels.Count == 0)
            {
                _users.Remove(entry.User);
            }
        }
        _lastSeen[entry.User] = update.Now;
    }

    private sealed class Member(string name, long sinceMs)
    {
        public string Name { get; } = name;
        public long SinceMs { get; } = sinceMs;
        public long Connections { get; set; }
    }

    private sealed class Builder(long now)
    {
        public long Now { get; } = now;
        public List<PresenceTransition> Transitions { get; } = [];
        public List<long> Counts { get; } = [];
        public TimeSpan? SincePrevious { get; set; }

        public PresenceUpdate Build() => new(Transitions, Counts, SincePrevious);
    }
}
