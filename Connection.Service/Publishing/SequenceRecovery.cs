using System.Collections.Concurrent;
using System.Globalization;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.Contracts;
using StackExchange.Redis;

namespace RealtimeAspire.ConnectionService.Publishing;

/// <summary>
/// Re-initialises a channel's sequence counter that Redis no longer has (flushed, restarted without persistence)
/// from the highest sequence Message.Service has persisted, read only after its consumer caught up with Kafka —
/// so no number is ever reused (design invariant 2). New channels get 0 and start at 1. One recovery per channel
/// at a time; that channel's publishes wait for it, others are not slowed. The argument is in docs/message-service.md.
/// </summary>
public sealed class SequenceRecovery(HttpClient messageService, IConnectionMultiplexer redis, TimeProvider time, ConnectionMetrics metrics, ILogger<SequenceRecovery> logger)
{
    public const string ServiceUri = "http://message-service";

    private readonly ConcurrentDictionary<string, Lazy<Task>> _running = new(StringComparer.Ordinal);

    public Task RecoverAsync(string channel, CancellationToken cancellationToken)
    {
        var recovery = _running.GetOrAdd(channel, c => new Lazy<Task>(() => RunAsync(c, cancellationToken)));
        return recovery.Value;
    }

    private async Task RunAsync(string channel, CancellationToken cancellationToken)
    {
        try
        {
            var database = redis.GetDatabase();
            // The first recovery after a loss marks when this Redis's data began.
            await database.StringSetAsync(RedisKeys.Epoch, time.GetUtcNow().ToUnixTimeMilliseconds(), when: When.NotExists);
            var lostAt = (long)await database.StringGetAsync(RedisKeys.Epoch);

            var answer = await messageService.GetFromJsonAsync<MaxSequence>(
                $"/internal/channels/{Uri.EscapeDataString(channel)}/max-seq?lostAt={lostAt.ToString(CultureInfo.InvariantCulture)}", cancellationToken)
                ?? throw new InvalidOperationException("Message.Service answered nothing.");
            // NX: a recovery on another replica may have got there first, with the same answer.
            var initialised = await database.StringSetAsync(RedisKeys.Sequence(channel), answer.MaxSeq, when: When.NotExists);
            metrics.SequenceRecovered();
            logger.SequenceRecovered(channel, answer.MaxSeq, initialised);
        }
        finally
        {
            _running.TryRemove(channel, out _);
        }
    }

    private sealed record MaxSequence(string Channel, long MaxSeq);
}
