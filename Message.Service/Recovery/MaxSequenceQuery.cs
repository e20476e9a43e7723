using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;
using RealtimeAspire.MessageService.Configuration;
using RealtimeAspire.MessageService.Persistence;

namespace RealtimeAspire.MessageService.Recovery;

/// <summary>
/// The highest sequence number ever used for a channel, for re-initialising a lost Redis counter. Correct only once
/// every message acknowledged before the question is persisted: wait out the publishers' delivery timeout (produces
/// in flight land or fail) — counted from when Redis lost its data when the caller says so, else from now — read the
/// end offsets, wait until the group has committed through them, then read the database. See docs/message-service.md.
/// </summary>
public sealed partial class MaxSequenceQuery(
    ConsumerGroupProgress progress,
    NpgsqlDataSource dataSource,
    IOptions<SequenceRecoveryOptions> options,
    TimeProvider time,
    ILogger<MaxSequenceQuery> logger)
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The channel's highest used sequence number, or null when it cannot be established now (consumers behind,
    /// database down). <paramref name="lostAt"/>: when the caller's Redis lost its data (at or after the loss, on the
    /// caller's clock), or null when unknown.
    /// </summary>
    public async Task<long?> MaxSeqAsync(string channel, DateTimeOffset? lostAt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var delay = DelayBeforeReading(time.GetUtcNow(), lostAt, settings.ProducerDeliveryTimeout, settings.ClockSkewMargin);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(delay + settings.CatchUpTimeout);
        try
        {
            if (delay > TimeSpan.Zero)
            {
                Log.WaitingForDeliveries(logger, channel, delay);
                await Task.Delay(delay, time, deadline.Token);
            }
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
            await using var command = dataSource.CreateCommand(MessageSql.MaxSeq);
            command.Parameters.AddWithValue("channel", channel);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (Exception ex) when ((ex is NpgsqlException or TimeoutException) && !cancellationToken.IsCancellationRequested)
        {
            Log.DatabaseUnavailable(logger, ex, channel);
            return null;
        }
    }

    /// <summary>
    /// How long to wait before reading the end offsets: until every produce that can carry a number assigned before the
    /// loss has reached the topic or failed. Unknown loss time: the delivery timeout from now (the request comes after
    /// the loss). Known: until <paramref name="lostAt"/> + delivery timeout + skew margin, never longer than the
    /// delivery timeout from now (a <paramref name="lostAt"/> in the future cannot make the request earlier than it is).
    /// </summary>
    public static TimeSpan DelayBeforeReading(DateTimeOffset now, DateTimeOffset? lostAt, TimeSpan deliveryTimeout, TimeSpan skewMargin)
    {
        if (lostAt is not { } lost)
        {
            return deliveryTimeout;
        }
        var remaining = (lost - now) + deliveryTimeout + skewMargin;
        return remaining <= TimeSpan.Zero ? TimeSpan.Zero : remaining < deliveryTimeout ? remaining : deliveryTimeout;
    }

    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Warning, "max-seq of {Channel}: the consumer group did not reach the topic's end offsets within {Timeout}.")]
        public static partial void NotCaughtUp(ILogger logger, Exception exception, string channel, TimeSpan timeout);

        [LoggerMessage(301, LogLevel.Warning, "max-seq of {Channel}: the database cannot be read.")]
        public static partial void DatabaseUnavailable(ILogger logger, Exception exception, string channel);

        [LoggerMessage(302, LogLevel.Debug, "max-seq of {Channel}: waiting {Delay} for produces in flight at the loss to land or fail.")]
        public static partial void WaitingForDeliveries(ILogger logger, string channel, TimeSpan delay);
    }
}
