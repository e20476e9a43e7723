using System.Globalization;
using Microsoft.Extensions.Options;
using RealtimeAspire.PresenceService.Configuration;
using StackExchange.Redis;

namespace RealtimeAspire.PresenceService.Store;

/// <summary>
/// <see cref="IPresenceStore"/> in Redis (or Garnet): every update is one Lua script (<see cref="PresenceScripts"/>),
/// reads are single commands. Counts are kept, never computed: a channel's size is one HLEN.
/// </summary>
public sealed class RedisPresenceStore(IConnectionMultiplexer redis, IOptions<PresenceOptions> options, TimeProvider time) : IPresenceStore
{
    private readonly PresenceKeys _keys = new(options.Value.KeyPrefix);

    private IDatabase Db => redis.GetDatabase();

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private long TtlMs => (long)options.Value.ReplicaTtl.TotalMilliseconds;

    public Task<PresenceUpdate> ApplyAsync(string replica, IReadOnlyList<PresenceChange> changes, CancellationToken cancellationToken)
    {
        var args = Header(replica, changes.Count * 5, TtlMs);
        foreach (var change in changes)
        {
            args.Add(change.Join ? "j" : "l");
            Add(args, change.Entry);
        }
        return RunAsync(PresenceScripts.Apply, args);
    }

    public Task<PresenceUpdate> RefreshAsync(string replica, IReadOnlyList<PresenceEntry> members, CancellationToken cancellationToken)
    {
        var args = Header(replica, members.Count * 4, TtlMs);
        foreach (var entry in members)
        {
            Add(args, entry);
        }
        return RunAsync(PresenceScripts.Refresh, args);
    }

    public Task<PresenceUpdate> ReleaseAsync(string replica, CancellationToken cancellationToken) =>
        RunAsync(PresenceScripts.Release, Header(replica, 0, null));

    public Task<PresenceUpdate> ExpireAsync(string replica, CancellationToken cancellationToken) =>
        RunAsync(PresenceScripts.Expire, Header(replica, 0, null));

    public async Task<IReadOnlyList<string>> LapsedReplicasAsync(CancellationToken cancellationToken)
    {
        var lapsed = await Db.SortedSetRangeByScoreAsync(_keys.Replicas, double.NegativeInfinity, Now);
        return [.. lapsed.Select(r => r.ToString())];
    }

    public Task<long> CountAsync(string channel, CancellationToken cancellationToken) => Db.HashLengthAsync(_keys.ChannelCounts(channel));

    public async Task<IReadOnlyList<ChannelMember>> MembersAsync(string channel, int limit, CancellationToken cancellationToken)
    {
        var entries = new List<HashEntry>(Math.Min(limit, 1024));
        await foreach (var entry in Db.HashScanAsync(_keys.ChannelMembers(channel), pageSize: Math.Min(limit, 1000)).WithCancellation(cancellationToken))
        {
            entries.Add(entry);
            if (entries.Count >= limit)
            {
                break;
            }
        }
        if (entries.Count == 0)
        {
            return [];
        }
        var counts = await Db.HashGetAsync(_keys.ChannelCounts(channel), [.. entries.Select(e => e.Name)]);
        var members = new List<ChannelMember>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var value = entries[i].Value.ToString();
            var at = value.IndexOf('\n', StringComparison.Ordinal);
            if (at < 0 || counts[i].IsNull)
            {
                continue;
            }
            var since = long.Parse(value.AsSpan(0, at), CultureInfo.InvariantCulture);
            members.Add(new ChannelMember(entries[i].Name.ToString(), value[(at + 1)..], (long)counts[i], DateTimeOffset.FromUnixTimeMilliseconds(since)));
        }
        return members;
    }

    public async Task<UserPresence> UserAsync(string user, CancellationToken cancellationToken)
    {
        var channels = Db.HashKeysAsync(_keys.User(user));
        var seen = Db.StringGetAsync(_keys.LastSeen(user));
        await Task.WhenAll(channels, seen);
        var seenValue = await seen;
        var lastSeen = !seenValue.IsNull && seenValue.TryParse(out long ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
        return new UserPresence(user, [.. (await channels).Select(c => c.ToString())], lastSeen);
    }

    public async Task<long> OnlineUsersAsync(CancellationToken cancellationToken) =>
        (await Db.StringGetAsync(_keys.Online)) is { IsNull: false } value && value.TryParse(out long online) ? online : 0;

    private List<RedisValue> Header(string replica, int extra, long? ttlMs)
    {
        var args = new List<RedisValue>(4 + extra) { _keys.Prefix, replica, Now };
        if (ttlMs is { } ttl)
        {
            args.Add(ttl);
        }
        return args;
    }

    private static void Add(List<RedisValue> args, PresenceEntry entry)
    {
        args.Add(entry.Connection);
        args.Add(entry.Channel);
        args.Add(entry.User);
        args.Add(entry.Name);
    }

    private async Task<PresenceUpdate> RunAsync(string script, List<RedisValue> args)
    {
        // The scripts build their keys from the prefix; the one key named here routes the call, on a cluster, to the
        // shard that owns the prefix's hash tag (with no key, StackExchange.Redis would pick any node).
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(script, keys: [_keys.Replicas], values: [.. args]))!;
        var flat = (RedisResult[])result[0]!;
        var transitions = new List<PresenceTransition>(flat.Length / 4);
        for (var i = 0; i + 3 < flat.Length; i += 4)
        {
            transitions.Add(new PresenceTransition((string)flat[i + 1]!, (string)flat[i + 2]!, (string)flat[i + 3]!, (string)flat[i]! == "j"));
        }
        var counts = ((RedisResult[])result[1]!).Select(c => (long)c).ToArray();
        var previous = long.Parse((string)result[2]!, CultureInfo.InvariantCulture);
        TimeSpan? since = previous < 0 ? null : TimeSpan.FromMilliseconds(Math.Max(0, long.Parse(args[2].ToString(), CultureInfo.InvariantCulture) - previous));
        return new PresenceUpdate(transitions, counts, since);
    }
}
