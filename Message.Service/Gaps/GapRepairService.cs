using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using RealtimeAspire.MessageService.Configuration;
using RealtimeAspire.MessageService.Diagnostics;
using RealtimeAspire.MessageService.Persistence;
using RealtimeAspire.MessageService.Recovery;
using StackExchange.Redis;

namespace RealtimeAspire.MessageService.Gaps;

/// <summary>
/// No phantoms: a publisher that died between its Redis script (message fanned out) and its Kafka produce leaves a
/// hole in the channel's persisted sequence. Every <see cref="GapRepairOptions.ScanInterval"/>:
/// <list type="number">
/// <item>take a transaction-scoped advisory lock (one instance scans at a time; the others skip the round);</item>
/// <item>for each channel whose <c>max_seq</c> is ahead of its <c>checked_seq</c>, read the sequence numbers above
/// <c>checked_seq</c> (persisted or recorded lost) and advance <c>checked_seq</c> over the complete prefix;</item>
/// <item>a gap open for the grace period is repaired from Redis history (idempotent insert, <c>repaired = true</c>);
/// what Redis no longer has is recorded in <c>lost_messages</c> with a metric and an error log.</item>
/// <item>for each channel persisted to within <see cref="GapRepairOptions.TailWindow"/>, compare Redis's counter with
/// the persisted sequence: numbers handed out a grace period ago and still not persisted (a tail no later message
/// reveals: the broker lost records, the channel went quiet) are repaired the same way, once the consumer group has
/// consumed up to the topic's end (else they may still be on their way through Kafka).</item>
/// </list>
/// </summary>
public sealed class GapRepairService(
    NpgsqlDataSource dataSource,
    MessageBatchWriter writer,
    RedisHistoryReader history,
    ConsumerGroupProgress progress,
    MessageServiceTelemetry telemetry,
    IOptions<GapRepairOptions> options,
    TimeProvider time,
    ILogger<GapRepairService> logger) : BackgroundService
{
    /// <summary>Advisory lock key: "RTMSGGAP".</summary>
    private const long ScanLockKey = 0x52544D5347474150;

    /// <summary>Tag of the repaired and lost counters: a hole between persisted numbers, or the unpersisted tail.</summary>
    private static readonly KeyValuePair<string, object?> HoleKind = new("gap.kind", "hole");
    private static readonly KeyValuePair<string, object?> TailKind = new("gap.kind", "tail");

    private readonly GapTracker _tracker = new(time, options.Value.GracePeriod);
    private readonly TailTracker _tails = new(time, options.Value.GracePeriod);
    private DateTimeOffset? _tailsDeferredSince;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ScanInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or RedisException or TimeoutException)
            {
                GapRepairLog.ScanFailed(logger, ex);
            }
        }
    }

    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand(MessageSql.TryScanLock, connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", ScanLockKey);
            if (await lockCommand.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return;
            }
        }

        var candidates = new List<(string Channel, long Checked)>();
        await using (var command = new NpgsqlCommand(MessageSql.GapCandidates, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                candidates.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        foreach (var (channel, checkedSeq) in candidates)
        {
            var seqs = new List<long>();
            await using (var command = new NpgsqlCommand(MessageSql.KnownSeqsAfter, connection, transaction))
            {
                command.Parameters.AddWithValue("channel", channel);
                command.Parameters.AddWithValue("after", checkedSeq);
                command.Parameters.AddWithValue("limit", options.Value.MaxRowsPerChannelScan);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    seqs.Add(reader.GetInt64(0));
                }
            }

            var scan = SequenceGaps.Scan(checkedSeq, seqs);
            if (scan.ContiguousThrough > checkedSeq)
            {
                await using var advance = new NpgsqlCommand(MessageSql.AdvanceChecked, connection, transaction);
                advance.Parameters.AddWithValue("channel", channel);
                advance.Parameters.AddWithValue("checked", scan.ContiguousThrough);
                await advance.ExecuteNonQueryAsync(cancellationToken);
            }

            foreach (var gap in _tracker.Observe(channel, scan.Gaps))
            {
                GapRepairLog.Overdue(logger, channel, gap.ToString());
                await RepairAsync(connection, transaction, channel, gap, HoleKind, cancellationToken);
            }
        }
        _tracker.Retain(candidates.Select(c => c.Channel).ToHashSet(StringComparer.Ordinal));
        await ScanTailsAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A hole is only seen once a later number is persisted. When the broker loses the last records of a channel
    /// (the dev broker restarting empty) or their produces failed, nothing later may come: Redis's counter says how
    /// far the channel really goes.
    /// </summary>
    private async Task ScanTailsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var known = new List<(string Channel, long Through)>();
        await using (var command = new NpgsqlCommand(MessageSql.TailCandidates, connection, transaction))
        {
            command.Parameters.AddWithValue("window", options.Value.TailWindow);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                known.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }
        if (known.Count == 0)
        {
            _tails.Retain(new HashSet<string>(StringComparer.Ordinal));
            return;
        }

        var counters = await history.ReadCountersAsync([.. known.Select(k => k.Channel)]);
        var due = new List<(string Channel, SequenceRange Tail, long Counter)>();
        for (var i = 0; i < known.Count; i++)
        {
            var (channel, through) = known[i];
            // No counter: a channel Redis lost (its history went with it) or one never published to.
            if (counters[i] is { } counter && _tails.Observe(channel, through, counter) is { } tail)
            {
                due.Add((channel, tail, counter));
            }
        }
        _tails.Retain(known.Select(k => k.Channel).ToHashSet(StringComparer.Ordinal));
        if (due.Count == 0)
        {
            _tailsDeferredSince = null;
            return;
        }
        // A consumer that is behind (PostgreSQL was down, the service was paused) has the tail still to come: repairing
        // it from Redis would only race the real records. Caught up means everything produced so far is persisted, and
        // the grace period (above the producers' delivery timeout) means these produces are over: what is missing now
        // is not in Kafka.
        if (await ConsumerCaughtUpAsync(cancellationToken))
        {
            _tailsDeferredSince = null;
        }
        else
        {
            _tailsDeferredSince ??= time.GetUtcNow();
            if (time.GetUtcNow() - _tailsDeferredSince < options.Value.MaxTailDeferral)
            {
                GapRepairLog.TailDeferred(logger, due.Count);
                return;
            }
            GapRepairLog.TailDeferralExpired(logger, due.Count, options.Value.MaxTailDeferral.TotalSeconds);
        }
        foreach (var (channel, tail, counter) in due)
        {
            GapRepairLog.TailOverdue(logger, channel, tail.ToString(), counter);
            await RepairAsync(connection, transaction, channel, tail, TailKind, cancellationToken);
        }
    }

    private async Task<bool> ConsumerCaughtUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await progress.HasReachedAsync(await progress.EndOffsetsAsync(cancellationToken), cancellationToken);
        }
        catch (KafkaException)
        {
            // The broker does not answer: nothing can be known about what it holds; ask again at the next scan.
            return false;
        }
    }

    private async Task RepairAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string channel, SequenceRange gap, KeyValuePair<string, object?> kind, CancellationToken cancellationToken)
    {
        var found = await history.ReadAsync(channel, gap);
        if (found.Count > 0)
        {
            var outcome = await writer.WriteAsync(found, repaired: true, cancellationToken);
            telemetry.GapsRepaired.Add(outcome.Inserted, kind);
            telemetry.Conflicts.Add(outcome.Conflicts.Count);
            foreach (var conflict in outcome.Conflicts)
            {
                GapRepairLog.Conflict(logger, channel, conflict.Message.MsgId, conflict.Message.Seq);
            }
            GapRepairLog.Repaired(logger, channel, outcome.Inserted, gap.ToString());
        }

        var have = found.Select(m => m.Seq).ToHashSet();
        var missing = new List<long>();
        for (var seq = gap.From; seq <= gap.To; seq++)
        {
            if (!have.Contains(seq))
            {
                missing.Add(seq);
            }
        }
        if (missing.Count == 0)
        {
            return;
        }
        await using var record = new NpgsqlCommand(MessageSql.RecordLost, connection, transaction);
        record.Parameters.AddWithValue("channel", channel);
        record.Parameters.Add(new NpgsqlParameter<long[]>("seqs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. missing] });
        var recorded = await record.ExecuteNonQueryAsync(cancellationToken);
        telemetry.GapsLost.Add(recorded, kind);
        GapRepairLog.Lost(logger, channel, missing.Count, gap.ToString(), string.Join(",", missing.Take(20)) + (missing.Count > 20 ? ",…" : ""));
    }
}
