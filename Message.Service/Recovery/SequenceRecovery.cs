using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;
using RealtimeAspire.MessageService.Configuration;

namespace RealtimeAspire.MessageService.Recovery;

/// <summary>
/// The highest sequence number ever used for a channel, for re-initialising a lost Redis counter. Correct only once
/// every message acknowledged before the question is persisted: wait out the publishers' delivery timeout (produces
/// in flight land or fail), read the end offsets, wait until the group has committed through them, then read the
/// database. See docs/message-service.md.
/// </summary>
public sealed partial class SequenceRecovery(
    ConsumerGroupProgress progress,
    NpgsqlDataSource dataSource,
    IOptions<SequenceRecoveryOptions> options,
    TimeProvider time,
    ILogger<SequenceRecovery> logger)
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(50);

    private const string MaxSeqSql = """
        SELECT GREATEST(
            (SELECT max(seq) FROM messages WHERE channel = @channel),
            (SELECT max(seq) FROM lost_messages WHERE channel = @channel),
            0)
        """;

    /// <summary>The channel's highest used sequence number, or null when it cannot be established now (consumers behind, database down).</summary>
    public async Task<long?> MaxSeqAsync(string channel, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.ProducerDeliveryTimeout + settings.CatchUpTimeout);
        try
        {
            await Task.Delay(settings.ProducerDeliveryTimeout, time, deadline.Token);
            var ends = await progress.EndOffsetsAsync(deadline.Token);
            while (!await progress.HasReachedAsync(ends, deadline.Token))
            {
                await Task.Delay(s_pollInterval, time, deadline.Token);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is OperationCanceledException or KafkaException))
        {
            Log.NotCaughtUp(logger, ex, channel, settings.CatchUpTimeout);
            return null;
        }

        try
        {
            await using var command = dataSource.CreateCommand(MaxSeqSql);
            command.Parameters.AddWithValue("channel", channel);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (Exception ex) when ((ex is NpgsqlException or TimeoutException) && !cancellationToken.IsCancellationRequested)
        {
            Log.DatabaseUnavailable(logger, ex, channel);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Warning, "max-seq of {Channel}: the consumer group did not reach the topic's end offsets within {Timeout}.")]
        public static partial void NotCaughtUp(ILogger logger, Exception exception, string channel, TimeSpan timeout);

        [LoggerMessage(301, LogLevel.Warning, "max-seq of {Channel}: the database cannot be read.")]
        public static partial void DatabaseUnavailable(ILogger logger, Exception exception, string channel);
    }
}
