using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;
using RealtimeAspire.MessageService.Configuration;
using RealtimeAspire.MessageService.Diagnostics;
using RealtimeAspire.MessageService.Persistence;

namespace RealtimeAspire.MessageService.Consumers;

/// <summary>
/// The asynchronous half of the pipeline: takes whatever the consumer thread has buffered (up to
/// <see cref="ConsumerOptions.MaxBatchSize"/>), dead-letters what cannot be parsed, writes the rest in one
/// transaction, and only then queues the offsets for commit. A failing write is retried with backoff for as long as
/// it takes (the buffer fills and the consumer pauses meanwhile), so a batch is never skipped.
/// </summary>
public sealed class MessageIngestion(
    KafkaConsumerLoop consumer,
    MessageBatchWriter writer,
    DeadLetterProducer deadLetters,
    MessageServiceTelemetry telemetry,
    IOptions<ConsumerOptions> options,
    TimeProvider time,
    ILogger<MessageIngestion> logger) : BackgroundService
{
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // On shutdown the consumer stops first; the writer then drains the buffer, with a bounded grace.
        using var drain = new CancellationTokenSource();
        using var onStop = stoppingToken.Register(() =>
        {
            consumer.RequestStop();
            drain.CancelAfter(s_drainTimeout);
        });
        consumer.Start();
        try
        {
            var batch = new List<ConsumeResult<string?, byte[]?>>(options.Value.MaxBatchSize);
            while (await consumer.Records.WaitToReadAsync(drain.Token))
            {
                batch.Clear();
                while (batch.Count < options.Value.MaxBatchSize && consumer.Records.TryRead(out var record))
                {
                    batch.Add(record);
                }
                await ProcessAsync(batch, drain.Token);
            }
        }
        catch (OperationCanceledException) when (drain.IsCancellationRequested)
        {
            // Shutdown with a batch still failing: its offsets stay uncommitted and it is delivered again.
        }
        catch (Exception ex)
        {
            ConsumerLog.PipelineFailed(logger, ex);
            consumer.RequestStop();
            throw;
        }
        finally
        {
            consumer.WriterDone();
            await consumer.Completion.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ProcessAsync(List<ConsumeResult<string?, byte[]?>> batch, CancellationToken cancellationToken)
    {
        var messages = new List<IncomingMessage>(batch.Count);
        var sources = new Dictionary<IncomingMessage, ConsumeResult<string?, byte[]?>>(ReferenceEqualityComparer.Instance);
        foreach (var record in batch)
        {
            if (EnvelopeParser.TryParse(record.Message.Key, record.Message.Value ?? [], out var message, out var reason))
            {
                messages.Add(message);
                sources[message] = record;
            }
            else
            {
                await DeadLetterAsync(record, reason, cancellationToken);
            }
        }

        if (messages.Count > 0)
        {
            var rejected = await PersistAsync(messages, cancellationToken);
            foreach (var (message, sqlState) in rejected)
            {
                await DeadLetterAsync(sources[message], $"db-rejected: {sqlState}", cancellationToken);
            }
        }

        consumer.QueueCommit([.. batch
            .GroupBy(r => r.TopicPartition)
            .Select(g => new TopicPartitionOffset(g.Key, new Offset(g.Max(r => r.Offset.Value) + 1)))]);
    }

    private async Task DeadLetterAsync(ConsumeResult<string?, byte[]?> record, string reason, CancellationToken cancellationToken)
    {
        await RetryAsync(ct => deadLetters.SendAsync(record, reason, ct), 1, cancellationToken);
        telemetry.DeadLettered.Add(1);
        ConsumerLog.DeadLettered(logger, record.Topic, record.Partition.Value, record.Offset.Value, reason);
    }

    /// <summary>Writes the messages; returns those the database refuses for good (a data error), to dead-letter.</summary>
    private async Task<List<(IncomingMessage Message, string SqlState)>> PersistAsync(List<IncomingMessage> messages, CancellationToken cancellationToken)
    {
        var rejected = new List<(IncomingMessage, string)>();
        try
        {
            await RetryAsync(ct => WriteBatchAsync(messages, ct), messages.Count, cancellationToken);
        }
        catch (PostgresException ex) when (IsPermanent(ex))
        {
            // One bad message must not hold up the partition: write them one by one and set the refused ones aside.
            foreach (var message in messages)
            {
                try
                {
                    await RetryAsync(ct => WriteBatchAsync([message], ct), 1, cancellationToken);
                }
                catch (PostgresException single) when (IsPermanent(single))
                {
                    ConsumerLog.Rejected(logger, single, message.Channel, message.Seq, single.SqlState);
                    rejected.Add((message, single.SqlState));
                }
            }
        }
        return rejected;
    }

    private async Task WriteBatchAsync(IReadOnlyList<IncomingMessage> messages, CancellationToken cancellationToken)
    {
        using var activity = PersistTracing.StartBatch(telemetry.ActivitySource, messages);
        var started = time.GetTimestamp();
        var outcome = await writer.WriteAsync(messages, repaired: false, cancellationToken);
        telemetry.WriteDuration.Record(time.GetElapsedTime(started).TotalSeconds);
        telemetry.BatchSize.Record(messages.Count);
        telemetry.Persisted.Add(outcome.Inserted);
        telemetry.Duplicates.Add(outcome.Duplicates);
        telemetry.Conflicts.Add(outcome.Conflicts.Count);
        foreach (var conflict in outcome.Conflicts)
        {
            ConsumerLog.Conflict(logger, conflict.Message.MsgId, conflict.Message.Channel, conflict.Message.Seq, conflict.ExistingMsgId);
        }
        activity?.SetTag("realtime.messages.inserted", outcome.Inserted);
        activity?.SetTag("realtime.messages.duplicates", outcome.Duplicates);
        activity?.SetTag("realtime.messages.conflicts", outcome.Conflicts.Count);
    }

    private async Task RetryAsync(Func<CancellationToken, Task> action, int count, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var delay = settings.MinRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action(cancellationToken);
                if (attempt > 1)
                {
                    ConsumerLog.WriteRecovered(logger, attempt);
                }
                return;
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                ConsumerLog.WriteFailed(logger, ex, count, attempt, delay);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxRetryDelay.Ticks));
            }
        }
    }

    private static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => !IsPermanent(pg),
        NpgsqlException or TimeoutException or KafkaException or System.Net.Sockets.SocketException or IOException => true,
        _ => false,
    };

    /// <summary>Data errors (class 22) and integrity errors other than the unique keys (class 23) never heal by retrying.</summary>
    private static bool IsPermanent(PostgresException ex) =>
        ex.SqlState.StartsWith("22", StringComparison.Ordinal)
        || ex.SqlState.StartsWith("23", StringComparison.Ordinal) && ex.SqlState != PostgresErrorCodes.UniqueViolation;
}
