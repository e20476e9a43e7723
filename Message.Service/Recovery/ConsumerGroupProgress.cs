using Confluent.Kafka;
using Microsoft.Extensions.Options;
using RealtimeAspire.Contracts;
using RealtimeAspire.Integrations.Kafka;
using RealtimeAspire.MessageService.Configuration;

namespace RealtimeAspire.MessageService.Recovery;

/// <summary>
/// Reads the topic's end offsets and the consumer group's committed offsets through a consumer of the same group
/// that never subscribes (so it never joins the group or takes partitions). Offsets are committed only after the
/// database commit, so "committed ≥ end offset" on every partition means everything produced before is persisted,
/// whichever instance consumed it.
/// </summary>
public sealed class ConsumerGroupProgress : IDisposable
{
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(5);

    private readonly IConsumer<Ignore, Ignore> _probe;
    private readonly IAdminClient _admin;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ConsumerGroupProgress(KafkaConnection kafka, IOptions<ConsumerOptions> options, KafkaClientLog log)
    {
        // Not built through KafkaConnection.CreateConsumerBuilder: this consumer never calls Consume, and a consumer
        // is handed its statistics only inside Consume, so they would pile up unread.
        _probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = options.Value.GroupId,
            EnableAutoCommit = false,
        }).SetLogHandler(log.OnLog).SetErrorHandler(log.OnError).Build();
        _admin = new DependentAdminClientBuilder(_probe.Handle).Build();
    }

    /// <summary>The end offset (high watermark) of every partition of the topic, as of now.</summary>
    public Task<IReadOnlyList<TopicPartitionOffset>> EndOffsetsAsync(CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<TopicPartitionOffset>>(() =>
        {
            var topic = _admin.GetMetadata(KafkaTopics.Messages, s_requestTimeout).Topics.SingleOrDefault(t => t.Topic == KafkaTopics.Messages);
            if (topic is null || topic.Error.IsError)
            {
                // No topic yet: nothing was ever produced, so there is nothing to wait for.
                return [];
            }
            return [.. topic.Partitions.Select(p =>
            {
                var partition = new TopicPartition(KafkaTopics.Messages, p.PartitionId);
                return new TopicPartitionOffset(partition, _probe.QueryWatermarkOffsets(partition, s_requestTimeout).High);
            })];
        }, cancellationToken);

    /// <summary>Whether the group's committed offsets have reached <paramref name="ends"/> on every partition.</summary>
    public Task<bool> HasReachedAsync(IReadOnlyList<TopicPartitionOffset> ends, CancellationToken cancellationToken) =>
        RunAsync(() =>
        {
            if (ends.Count == 0)
            {
                return true;
            }
            var committed = _probe.Committed([.. ends.Select(e => e.TopicPartition)], s_requestTimeout)
                .ToDictionary(c => c.TopicPartition, c => c.Offset);
            return ends.All(end =>
                end.Offset.Value <= 0
                || committed.TryGetValue(end.TopicPartition, out var offset) && offset != Offset.Unset && offset.Value >= end.Offset.Value);
        }, cancellationToken);

    private async Task<T> RunAsync<T>(Func<T> blocking, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // librdkafka's calls block: keep them off the request thread.
            return await Task.Run(blocking, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _admin.Dispose();
        _probe.Dispose();
        _gate.Dispose();
    }
}
