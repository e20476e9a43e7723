namespace RealtimeAspire.PresenceService.Store;

/// <summary>
/// The Lua scripts of <see cref="RedisPresenceStore"/>: each update is one script, so a transition (a user's first
/// connection to a channel arriving, their last one leaving) is seen by exactly one caller. Only basic commands
/// (hashes, strings, one sorted set), so Redis and Garnet both run them. Keys are built from the prefix in
/// <c>ARGV[1]</c> (see <see cref="PresenceKeys"/>): every key carries the same hash tag.
/// Every script returns <c>{transitions, counts, previousReportMs}</c>: transitions flat as
/// <c>'j'|'l', channel, user, name</c>; counts = a user's connections after each join; -1 = no previous report.
/// </summary>
internal static class PresenceScripts
{
    private const string Common = """
        local P = ARGV[1]
        local replica = ARGV[2]
        local nowText = ARGV[3]
        local now = tonumber(nowText)
        local rkey = P .. 'r:' .. replica
        local out = {}
        local counts = {}
        local previous = -1

        local function join(conn, ch, user, name)
          if redis.call('HSETNX', rkey, conn .. '\n' .. ch, user .. '\n' .. name) == 0 then return end
          local n = redis.call('HINCRBY', P .. 'c:' .. ch .. ':n', user, 1)
          counts[#counts + 1] = n
          if n == 1 then
            redis.call('HSET', P .. 'c:' .. ch .. ':m', user, nowText .. '\n' .. name)
            out[#out + 1] = 'j'; out[#out + 1] = ch; out[#out + 1] = user; out[#out + 1] = name
          end
          local ukey = P .. 'u:' .. user
          if redis.call('HINCRBY', ukey, ch, 1) == 1 and redis.call('HLEN', ukey) == 1 then
            redis.call('INCR', P .. 'online')
          end
          redis.call('SET', P .. 's:' .. user, nowText)
        end

        local function leave(conn, ch)
          local member = conn .. '\n' .. ch
          local v = redis.call('HGET', rkey, member)
          if not v then return end
          redis.call('HDEL', rkey, member)
          local at = string.find(v, '\n', 1, true)
          local user = string.sub(v, 1, at - 1)
          local name = string.sub(v, at + 1)
          local nkey = P .. 'c:' .. ch .. ':n'
          if redis.call('HINCRBY', nkey, user, -1) <= 0 then
            redis.call('HDEL', nkey, user)
            redis.call('HDEL', P .. 'c:' .. ch .. ':m', user)
            out[#out + 1] = 'l'; out[#out + 1] = ch; out[#out + 1] = user; out[#out + 1] = name
          end
          local ukey = P .. 'u:' .. user
          if redis.call('HINCRBY', ukey, ch, -1) <= 0 then
            redis.call('HDEL', ukey, ch)
            if redis.call('HLEN', ukey) == 0 then
              redis.call('DECR', P .. 'online')
            end
          end
          redis.call('SET', P .. 's:' .. user, nowText)
        end

        local function leaveMember(member)
          local at = string.find(member, '\n', 1, true)
          leave(string.sub(member, 1, at - 1), string.sub(member, at + 1))
        end

        local function renew(ttl)
          local score = redis.call('ZSCORE', P .. 'replicas', replica)
          if score then previous = tonumber(score) - ttl end
          redis.call('ZADD', P .. 'replicas', string.format('%.0f', now + ttl), replica)
        end

        local function release()
          for _, member in ipairs(redis.call('HKEYS', rkey)) do leaveMember(member) end
          redis.call('DEL', rkey)
          redis.call('ZREM', P .. 'replicas', replica)
        end

        """;

    private const string Result = """

        return { out, counts, string.format('%.0f', previous) }
        """;

    /// <summary>ARGV: prefix, replica, now, ttl, then (op 'j'|'l', connection, channel, user, name) per change.</summary>
    public const string Apply = Common + """
        renew(tonumber(ARGV[4]))
        for i = 5, #ARGV, 5 do
          if ARGV[i] == 'j' then join(ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]) else leave(ARGV[i + 1], ARGV[i + 2]) end
        end
        """ + Result;

    /// <summary>ARGV: prefix, replica, now, ttl, then (connection, channel, user, name) per member: the whole membership.</summary>
    public const string Refresh = Common + """
        renew(tonumber(ARGV[4]))
        local wanted = {}
        for i = 5, #ARGV, 4 do wanted[ARGV[i] .. '\n' .. ARGV[i + 1]] = true end
        for _, member in ipairs(redis.call('HKEYS', rkey)) do
          if not wanted[member] then leaveMember(member) end
        end
        for i = 5, #ARGV, 4 do join(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]) end
        """ + Result;

    /// <summary>ARGV: prefix, replica, now.</summary>
    public const string Release = Common + """
        release()
        """ + Result;

    /// <summary>ARGV: prefix, replica, now. Only when the lease has lapsed: a renewed lease wins over a late sweeper.</summary>
    public const string Expire = Common + """
        local deadline = redis.call('ZSCORE', P .. 'replicas', replica)
        if deadline and tonumber(deadline) <= now then release() end
        """ + Result;
}
