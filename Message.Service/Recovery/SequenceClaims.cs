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

    private static partial class Log
    {
        [LoggerMessage(303, LogLevel.Debug, "Claim of {Channel}: a new channel, its sequence starts at 0.")]
        public static partial void NewChannel(ILogger logger, string channel);

        [LoggerMessage(304, LogLevel.Warning, "Claim of {Channel}: the database cannot be written.")]
        public static partial void DatabaseUnavailable(ILogger logger, Exception exception, string channel);
    }
}

/// <summary>What a claim established: the highest number used so far (0 for a new channel).</summary>
public sealed record SequenceClaim(long MaxSeq, bool New);
