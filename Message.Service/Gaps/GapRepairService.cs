using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using RealtimeAspire.MessageService.Configuration;
using RealtimeAspire.MessageService.Diagnostics;
using RealtimeAspire.MessageService.Persistence;
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
/// </list>
/// </summary>
public sealed class GapRepairService(
    NpgsqlDataSource dataSource,
    MessageBatchWriter writer,
    RedisHistoryReader history,
    MessageServiceTelemetry telemetry,
    IOptions<GapRepairOptions> options,
    TimeProvider time,
    ILogger<GapRepairService> logger) : BackgroundService
{
    /// <summary>Advisory lock key: "RTMSGGAP".</summary>
    private const long ScanLockKey = 0x52544D5347474150;

    private readonly GapTracker _tracker = new(time, options.Value.GracePeriod);

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
                await RepairAsync(connection, transaction, channel, gap, cancellationToken);
            }
        }
        _tracker.Retain(candidates.Select(c => c.Channel).ToHashSet(StringComparer.Ordinal));
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task RepairAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string channel, SequenceRange gap, CancellationToken cancellationToken)
    {
        GapRepairLog.Overdue(logger, channel, gap.ToString());
        var found = await history.ReadAsync(channel, gap);
        if (found.Count > 0)
        {
            var outcome = await writer.WriteAsync(found, repaired: true, cancellationToken);
            telemetry.GapsRepaired.Add(outcome.Inserted);
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
        telemetry.GapsLost.Add(recorded);
        GapRepairLog.Lost(logger, channel, missing.Count, gap.ToString(), string.Join(",", missing.Take(20)) + (missing.Count > 20 ? ",…" : ""));
    }
}
