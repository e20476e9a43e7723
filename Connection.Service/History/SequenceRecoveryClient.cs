using System.Collections.Concurrent;
using System.Globalization;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.Contracts;
using StackExchange.Redis;

namespace RealtimeAspire.ConnectionService.History;

/// <summary>
/// Initialises a channel's sequence counter that Redis does not have. Message.Service's claim tells the two cases
/// apart: a channel never used gets 0 at once (its claim is recorded before its first number) and starts at 1; a
/// counter Redis lost (flushed, restarted without persistence) gets the highest sequence Message.Service has
/// persisted, read only after its consumer caught up with Kafka — so no number is ever reused (design invariant 2). One recovery per channel
/// at a time; that channel's publishes wait for it, others are not slowed. The counter is set only if Redis has not
/// lost its data again since the answer was asked for (the epoch check). A replica's concurrent claims are sent as one
/// batch (<see cref="SequenceClaimBatcher"/>). The argument is in docs/message-service.md.
/// </summary>
public sealed class SequenceRecoveryClient(
    HttpClient messageService,
    IConnectionMultiplexer redis,
    TimeProvider time,
    ConnectionMetrics metrics,
    ILogger<SequenceRecoveryClient> logger,
    SequenceClaimBatcher? batcher = null)
{
    public const string ServiceUri = "http://message-service";

    /// <summary>The name of the HTTP client configured for Message.Service's claims (this typed client's and the batcher's).</summary>
    public const string HttpClientName = "message-service-claims";

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
                // A publish that found no counter may ask only after another recovery of the channel set it and
                // ended: claiming again would find the channel known and wait for Message.Service's max-seq, for
                // nothing. The same script reads (or sets) the epoch: one round trip.
                if (await EpochAsync(database, channel) is not { } epoch)
                {
                    logger.SequenceAlreadyRecovered(channel);
                    return;
                }
                var answer = await ClaimAsync(channel, epoch.LostAt, attempt);
                // The answer holds only for the loss this epoch marks: if Redis lost its data again meanwhile (the
                // epoch is gone or new), numbers may have been handed out after the answer was read; ask again.
                var result = (long)await database.ScriptEvaluateAsync(InitialiseScript, [RedisKeys.Epoch(channel), RedisKeys.Sequence(channel)], [epoch.Value, answer.MaxSeq]);
                if (result != EpochChanged)
                {
                    metrics.SequenceRecovered(answer.New);
                    logger.SequenceRecovered(channel, answer.MaxSeq, answer.New, result == 1);
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
    /// Message.Service's answer for the channel. The first attempt goes through the replica's batch (a new channel is
    /// answered with the others of its burst, in one statement); a channel the batch found known, and every retry
    /// after an epoch change, is claimed alone: that claim finds the row and waits for the safe answer.
    /// </summary>
    private async Task<Claim> ClaimAsync(string channel, long lostAt, int attempt)
    {
        if (batcher is not null && attempt == 0 && await batcher.IsNewAsync(channel))
        {
            return new Claim(channel, 0, New: true);
        }
        using var response = await messageService.PostAsync(
            $"/internal/channels/{Uri.EscapeDataString(channel)}/claim?lostAt={lostAt.ToString(CultureInfo.InvariantCulture)}", content: null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<Claim>()
            ?? throw new InvalidOperationException("Message.Service answered nothing.");
    }

    /// <summary>
    /// The epoch of the channel's slot, or null when the channel's counter is already in Redis. The epoch is set by
    /// the first recovery after a loss to "{unix ms}:{random}" (unique, so a later loss at the same millisecond is
    /// still told apart); the time is when the loss was noticed, at or after it happened. One script: the counter's
    /// check, the epoch's SET NX and its read are atomic (both keys are in the channel's slot).
    /// </summary>
    private async Task<(string Value, long LostAt)?> EpochAsync(IDatabase database, string channel)
    {
        var mine = $"{time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}:{Guid.NewGuid():N}";
        while (true)
        {
            var value = (string?)await database.ScriptEvaluateAsync(EpochScript, [RedisKeys.Epoch(channel), RedisKeys.Sequence(channel)], [mine]);
            if (value is null)
            {
                return null;
            }
            if (long.TryParse(value.AsSpan(0, value.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? colon : value.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var lostAt))
            {
                return (value, lostAt);
            }
            // A foreign value: set ours again.
            await database.KeyDeleteAsync(RedisKeys.Epoch(channel));
        }
    }

    private const int MaxAttempts = 5;
    private const long EpochChanged = -1;

    // KEYS: 1 epoch, 2 sequence. ARGV: 1 this recovery's epoch value, set if the slot has none.
    // Returns nil when the counter exists (nothing to recover), else the slot's epoch.
    private const string EpochScript = """
        if redis.call('EXISTS', KEYS[2]) == 1 then
            return false
        end
        redis.call('SET', KEYS[1], ARGV[1], 'NX')
        return redis.call('GET', KEYS[1])
        """;

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

    private sealed record Claim(string Channel, long MaxSeq, bool New);
}
