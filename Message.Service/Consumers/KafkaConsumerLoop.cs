using System.Collections.Concurrent;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using RealtimeAspire.Contracts;
using RealtimeAspire.Integrations.Kafka;
using RealtimeAspire.MessageService.Configuration;
using RealtimeAspire.MessageService.Diagnostics;

namespace RealtimeAspire.MessageService.Consumers;

/// <summary>
/// The blocking half of the pipeline: one dedicated thread runs Kafka's synchronous <c>Consume</c> loop and hands
/// records to the database writer through a bounded channel. Every call on the consumer happens on that thread,
/// offset commits included (the writer queues them after its database commit).
/// <list type="number">
/// <item>Consume; a record that does not fit the full buffer waits in a small local queue.</item>
/// <item>If the buffer stays full for <see cref="ConsumerOptions.PauseAfterFullFor"/> (database down or slow), pause
/// every assigned partition: the group membership stays alive (Consume keeps polling) and nothing more is fetched.</item>
/// <item>When the local queue has drained into the buffer, resume: fetching continues at the position after the last
/// record handed over, so nothing is skipped.</item>
/// </list>
/// </summary>
public sealed class KafkaConsumerLoop(
    KafkaConnection kafka,
    IOptions<ConsumerOptions> options,
    MessageServiceTelemetry telemetry,
    KafkaClientLog kafkaLog,
    ILogger<KafkaConsumerLoop> logger) : IDisposable
{
    private static readonly TimeSpan s_pollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_lagInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentQueue<TopicPartitionOffset[]> _commits = new();
    private readonly ManualResetEventSlim _writerDone = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<ConsumeResult<string?, byte[]?>> _buffer = Channel.CreateBounded<ConsumeResult<string?, byte[]?>>(
        new BoundedChannelOptions(options.Value.BufferCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<ConsumeResult<string?, byte[]?>> Records => _buffer.Reader;

    /// <summary>Completes when the thread has committed its last offsets and closed the consumer.</summary>
    public Task Completion => _completion.Task;

    public void Start() => new Thread(Run) { IsBackground = true, Name = "kafka-consume" }.Start();

    /// <summary>Stops consuming; the buffer is completed so the writer drains what it holds.</summary>
    public void RequestStop() => _stop.Cancel();

    /// <summary>The writer has drained the buffer: the last commits are queued.</summary>
    public void WriterDone() => _writerDone.Set();

    /// <summary>Called by the writer after the database commit; applied on the consumer thread.</summary>
    public void QueueCommit(TopicPartitionOffset[] offsets) => _commits.Enqueue(offsets);

    private void Run()
    {
        var failures = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    RunConsumer();
                }
                catch (Exception ex) when (ex is KafkaException or InvalidOperationException)
                {
                    var delay = TimeSpan.FromMilliseconds(Math.Min(500 * Math.Pow(2, failures++), 30_000));
                    ConsumerLog.ConsumerFailed(logger, ex, delay);
                    _stop.Token.WaitHandle.WaitOne(delay);
                }
            }
        }
        catch (Exception ex)
        {
            // A dedicated thread's unhandled exception would end the process; report it instead.
            ConsumerLog.PipelineFailed(logger, ex);
        }
        finally
        {
            _buffer.Writer.TryComplete();
            _completion.TrySetResult();
        }
    }

    private void RunConsumer()
    {
        var settings = options.Value;
        var config = new ConsumerConfig
        {
            GroupId = settings.GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = (int)settings.SessionTimeout.TotalMilliseconds,
            HeartbeatIntervalMs = (int)Math.Max(100, settings.SessionTimeout.TotalMilliseconds / 5),
            // The topic may not exist before the first publish; in development it is created on first use.
            AllowAutoCreateTopics = true,
        };
        using var consumer = kafka.CreateConsumerBuilder<string?, byte[]?>(config)
            // Through the shared handler: during a broker restart these repeat many times a second.
            .SetLogHandler(kafkaLog.OnLog)
            .SetErrorHandler(kafkaLog.OnError)
            .SetPartitionsAssignedHandler((_, partitions) => ConsumerLog.Assigned(logger, string.Join(", ", partitions)))
            .SetPartitionsRevokedHandler((c, partitions) =>
            {
                ConsumerLog.Revoked(logger, string.Join(", ", partitions.Select(p => p.TopicPartition)));
                foreach (var partition in partitions)
                {
                    telemetry.ClearLag(partition.Partition.Value);
                }
                Commit(c);
            })
            .Build();
        consumer.Subscribe(KafkaTopics.Messages);
        ConsumerLog.Subscribed(logger, KafkaTopics.Messages, settings.GroupId, kafka.BootstrapServers);

        var waiting = new Queue<ConsumeResult<string?, byte[]?>>();
        var paused = false;
        var lagDue = DateTime.UtcNow;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Commit(consumer);
                if (!TryHandOver(waiting))
                {
                    // Give the writer a moment first: a healthy database drains the buffer within milliseconds.
                    if (!SpinWait.SpinUntil(() => TryHandOver(waiting), settings.PauseAfterFullFor))
                    {
                        var assignment = consumer.Assignment;
                        consumer.Pause(assignment);
                        if (!paused)
                        {
                            paused = true;
                            ConsumerLog.Paused(logger, string.Join(", ", assignment));
                        }
                    }
                }
                if (paused && waiting.Count == 0)
                {
                    var assignment = consumer.Assignment;
                    consumer.Resume(assignment);
                    paused = false;
                    ConsumerLog.Resumed(logger, string.Join(", ", assignment));
                }

                ConsumeResult<string?, byte[]?>? record;
                try
                {
                    record = consumer.Consume(s_pollTimeout);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    ConsumerLog.KafkaError(logger, ex.Error.Code, ex.Error.Reason);
                    continue;
                }
                if (record is { IsPartitionEOF: false })
                {
                    waiting.Enqueue(record);
                    TryHandOver(waiting);
                }
                if (DateTime.UtcNow >= lagDue)
                {
                    lagDue = DateTime.UtcNow + s_lagInterval;
                    RecordLag(consumer);
                }
            }
        }
        finally
        {
            if (_stop.IsCancellationRequested)
            {
                // Let the writer finish what it holds, committing as its batches land, then leave the group cleanly.
                _buffer.Writer.TryComplete();
                var deadline = DateTime.UtcNow + s_drainTimeout;
                while (!_writerDone.Wait(50) && DateTime.UtcNow < deadline)
                {
                    Commit(consumer);
                }
                Commit(consumer);
                consumer.Close();
            }
        }
    }

    private bool TryHandOver(Queue<ConsumeResult<string?, byte[]?>> waiting)
    {
        while (waiting.Count > 0)
        {
            if (!_buffer.Writer.TryWrite(waiting.Peek()))
            {
                return false;
            }
            waiting.Dequeue();
        }
        return true;
    }

    private void Commit(IConsumer<string?, byte[]?> consumer)
    {
        if (_commits.IsEmpty)
        {
            return;
        }
        var latest = new Dictionary<TopicPartition, Offset>();
        while (_commits.TryDequeue(out var offsets))
        {
            foreach (var offset in offsets)
            {
                if (!latest.TryGetValue(offset.TopicPartition, out var known) || offset.Offset > known)
                {
                    latest[offset.TopicPartition] = offset.Offset;
                }
            }
        }
        var list = latest.Select(kv => new TopicPartitionOffset(kv.Key, kv.Value)).ToList();
        try
        {
            consumer.Commit(list);
        }
        catch (KafkaException ex)
        {
            ConsumerLog.CommitFailed(logger, ex, string.Join(", ", list));
        }
    }

    private void RecordLag(IConsumer<string?, byte[]?> consumer)
    {
        foreach (var partition in consumer.Assignment)
        {
            var watermarks = consumer.GetWatermarkOffsets(partition);
            var position = consumer.Position(partition);
            if (watermarks.High != Offset.Unset && position != Offset.Unset)
            {
                telemetry.SetLag(partition.Partition.Value, Math.Max(0, watermarks.High.Value - position.Value));
            }
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _writerDone.Dispose();
    }
}
