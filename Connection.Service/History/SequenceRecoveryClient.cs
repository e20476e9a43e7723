using System.Collections.Concurrent;
using System.Globalization;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.Contracts;
using StackExchange.Redis;

namespace RealtimeAspire.ConnectionService.History;

/// <summary>
/// Re-initialises a channel's sequence counter that Redis no longer has (flushed, restarted without persistence)
/// from the highest sequence Message.Service has persisted, read only after its consumer caught up with Kafka —
/// so no number is ever reused (design invariant 2). New channels get 0 and start at 1. One recovery per channel
/// at a time; that channel's publishes wait for it, others are not slowed. The counter is set only if Redis has not
/// lost its data again since the answer was asked for (the epoch check). The argument is in docs/message-service.md.
/// </summary>
public sealed class SequenceRecoveryClient(HttpClient messageService, IConnectionMultiplexer redis, TimeProvider time, ConnectionMetrics metrics, ILogger<SequenceRecoveryClient> logger)
{
    public const string ServiceUri = "http://message-service";

    private readonly ConcurrentDictionary<string, Lazy<Task>> _running = new(StringComparer.Ordinal);

    /// <summary>Recovers the channel's counter, sharing one recovery among concurrent publishes; each waits with its own token.</summary>
    public Task RecoverAsync(string channel, CancellationToken cancellationToken)
    {
        // Not cancelled by the first caller: others wait on the same recovery (HTTP timeouts bound it).
        var recovery = _running.GetOrAdd(channel, c => new Lazy<Task>(() => RunAsync(c)));
        return recovery.Value.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(string channel)
    {
        try
        {
            var database = redis.GetDatabase();
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var epoch = await EpochAsync(database);
                var answer = await messageService.GetFromJsonAsync<MaxSequence>(
                    $"/internal/channels/{Uri.EscapeDataString(channel)}/max-seq?lostAt={epoch.LostAt.ToString(CultureInfo.InvariantCulture)}")
                    ?? throw new InvalidOperationException("Message.Service answered nothing.");
                // The answer holds only for the loss this epoch marks: if Redis lost its data again meanwhile (the
                // epoch is gone or new), numbers may have been handed out after the answer was read; ask again.
                var result = (long)await database.ScriptEvaluateAsync(InitialiseScript, [RedisKeys.Epoch, RedisKeys.Sequence(channel)], [epoch.Value, answer.MaxSeq]);
                if (result != EpochChanged)
                {
                    metrics.SequenceRecovered();
                    logger.SequenceRecovered(channel, answer.MaxSeq, result == 1);
                    return;
                }
            }
            throw new InvalidOperationException($"Redis lost its data {MaxAttempts} times during the recovery of '{channel}'.");
        }
        finally
        {
            _running.TryRemove(channel, out _);
        }
    }

    /// <summary>
    /// This Redis's epoch: set by the first recovery after a loss to "{unix ms}:{random}" (unique, so a later loss
    /// at the same millisecond is still told apart); the time is when the loss was noticed, at or after it happened.
    /// </summary>
    private async Task<(string Value, long LostAt)> EpochAsync(IDatabase database)
    {
        var mine = $"{time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}:{Guid.NewGuid():N}";
        while (true)
        {
            await database.StringSetAsync(RedisKeys.Epoch, mine, when: When.NotExists);
            var value = (string?)await database.StringGetAsync(RedisKeys.Epoch);
            if (value is not null && long.TryParse(value.AsSpan(0, value.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? colon : value.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var lostAt))
            {
                return (value, lostAt);
            }
            // Flushed between the two calls, or a foreign value: set ours again.
            await database.KeyDeleteAsync(RedisKeys.Epoch);
        }
    }

    private const int MaxAttempts = 5;
    private const long EpochChanged = -1;

    // KEYS: 1 epoch, 2 sequence. ARGV: 1 the epoch the answer was read under, 2 the answer.
    // Returns 1 when it set the counter, 0 when one was already there, -1 when the epoch changed.
    private const string InitialiseScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then
            return -1
        end
        if redis.call('SET', KEYS[2], ARGV[2], 'NX') then
            return 1
        end
        return 0
        """;

    private sealed record MaxSequence(string Channel, long MaxSeq);
}
