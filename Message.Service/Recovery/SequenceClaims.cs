using Npgsql;
using RealtimeAspire.MessageService.Diagnostics;
using RealtimeAspire.MessageService.Persistence;

namespace RealtimeAspire.MessageService.Recovery;

/// <summary>
/// Where a channel's counter starts when Connection.Service's Redis has none. A channel that was never claimed
/// starts at 0 at once: the claim is its row in <c>channels</c>, written before Connection.Service hands out its
/// first number, so a channel without a row has no number anywhere — persisted, in Kafka or in flight — and there
/// is nothing to wait for. Any other channel had a counter that Redis lost, and gets <see cref="MaxSequenceQuery"/>'s
/// answer after the wait that makes it safe. The argument is in docs/message-service.md.
/// </summary>
public sealed partial class SequenceClaims(
    NpgsqlDataSource dataSource,
    MaxSequenceQuery recovery,
    MessageServiceTelemetry telemetry,
    ILogger<SequenceClaims> logger)
{
    /// <summary>
    /// The number the channel's counter starts from, and whether the channel is new; null when it cannot be
    /// established now (the database or the consumers' progress cannot be read: the caller retries).
    /// </summary>
    public async Task<SequenceClaim?> ClaimAsync(string channel, DateTimeOffset? lostAt, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(MessageSql.ClaimChannel);
            command.Parameters.AddWithValue("channel", channel);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                telemetry.Claims.Add(1, new KeyValuePair<string, object?>("outcome", "new"));
                Log.NewChannel(logger, channel);
                return new SequenceClaim(0, New: true);
            }
        }
        catch (Exception ex) when ((ex is NpgsqlException or TimeoutException) && !cancellationToken.IsCancellationRequested)
        {
            Log.DatabaseUnavailable(logger, ex, channel);
            return null;
        }
        telemetry.Claims.Add(1, new KeyValuePair<string, object?>("outcome", "recovered"));
        return await recovery.MaxSeqAsync(channel, lostAt, cancellationToken) is { } maxSeq ? new SequenceClaim(maxSeq, New: false) : null;
    }

    /// <summary>
    /// Claims several channels in one statement and one commit. Every channel whose row it wrote is new (its counter
    /// starts at 0 at once); the others were known and are answered as such, without a wait: each is then claimed
    /// alone by <see cref="ClaimAsync"/>, which finds its row and takes the safe path. Null when the database cannot
    /// be written (the caller retries; rows this attempt wrote make those channels known).
    /// </summary>
    public async Task<ClaimBatchResponse?> ClaimBatchAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken)
    {
        telemetry.ClaimBatchSize.Record(channels.Count);
        var written = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var command = dataSource.CreateCommand(MessageSql.ClaimChannels);
            command.Parameters.AddWithValue("channels", channels.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                written.Add(reader.GetString(0));
            }
        }
        catch (Exception ex) when ((ex is NpgsqlException or TimeoutException) && !cancellationToken.IsCancellationRequested)
        {
            Log.BatchDatabaseUnavailable(logger, ex, channels.Count);
            return null;
        }
        var fresh = new List<string>(written.Count);
        var known = new List<string>();
        foreach (var channel in channels.Distinct(StringComparer.Ordinal))
        {
            (written.Contains(channel) ? fresh : known).Add(channel);
        }
        if (fresh.Count > 0)
        {
            telemetry.Claims.Add(fresh.Count, new KeyValuePair<string, object?>("outcome", "new"));
        }
        Log.BatchClaimed(logger, channels.Count, fresh.Count, known.Count);
        return new ClaimBatchResponse(fresh, known);
    }

    private static partial class Log
    {
        [LoggerMessage(303, LogLevel.Debug, "Claim of {Channel}: a new channel, its sequence starts at 0.")]
        public static partial void NewChannel(ILogger logger, string channel);

        [LoggerMessage(304, LogLevel.Warning, "Claim of {Channel}: the database cannot be written.")]
        public static partial void DatabaseUnavailable(ILogger logger, Exception exception, string channel);

        [LoggerMessage(305, LogLevel.Debug, "Batch claim of {Count} channel(s): {New} new, {Known} known (to be claimed one by one).")]
        public static partial void BatchClaimed(ILogger logger, int count, int @new, int known);

        [LoggerMessage(306, LogLevel.Warning, "Batch claim of {Count} channel(s): the database cannot be written.")]
        public static partial void BatchDatabaseUnavailable(ILogger logger, Exception exception, int count);
    }
}

/// <summary>What a claim established: the highest number used so far (0 for a new channel).</summary>
public sealed record SequenceClaim(long MaxSeq, bool New);
