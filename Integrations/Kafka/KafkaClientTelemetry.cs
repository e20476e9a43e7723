using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace RealtimeAspire.Integrations.Kafka;

/// <summary>
/// The Kafka integration's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both <c>RealtimeAspire.Kafka</c>
/// (ServiceDefaults exports every <c>RealtimeAspire.*</c> source and meter).
/// <list type="bullet">
/// <item>Metrics: librdkafka's statistics (every <see cref="KafkaClientSettings.StatisticsIntervalMs"/>) as the
/// instruments Aspire's own Kafka integration publishes (<c>messaging.kafka.*</c>), one series per client handle.</item>
/// <item>Traces: a <c>send</c> span per produce call, a child of the caller's span. The services' own spans
/// (<c>publish</c>, <c>persist messages</c>) stay where they are; this one isolates the broker round trip, as the Redis
/// and Npgsql spans do for theirs.</item>
/// </list>
/// </summary>
public sealed class KafkaClientTelemetry : IDisposable
{
    public const string Name = "RealtimeAspire.Kafka";

    private readonly ConcurrentDictionary<string, ClientStatistics> _clients = new(StringComparer.Ordinal);
    private readonly Meter _meter;
    private readonly ActivitySource? _activitySource;
    private readonly string _serverAddress;

    // -1 until the readiness check first ran (no measurement), then 0 or 1.
    private int _clusterAvailable = -1;

    public KafkaClientTelemetry(IMeterFactory meterFactory, KafkaClientSettings settings)
    {
        _serverAddress = settings.ConnectionString ?? "";
        _meter = meterFactory.Create(Name);
        _activitySource = settings.DisableTracing ? null : new ActivitySource(Name);
        if (settings.DisableMetrics)
        {
            return;
        }
        Gauge("messaging.kafka.consumer.queue.message_count", "{message}", "Operations (callbacks, events) waiting in the consumer's queue.", s => s.Type == "consumer" ? s.ReplyQueue : null);
        Gauge("messaging.kafka.producer.queue.message_count", "{message}", "Messages in the producer's queues, not yet acknowledged.", s => s.Type == "producer" ? s.MessageCount : null);
        Gauge("messaging.kafka.producer.queue.size", "By", "Bytes of the messages in the producer's queues.", s => s.Type == "producer" ? s.MessageBytes : null);
        Counter("messaging.kafka.network.tx", "{request}", "Requests sent to brokers.", s => s.Tx);
        Counter("messaging.kafka.network.transmitted", "By", "Bytes sent to brokers.", s => s.TxBytes);
        Counter("messaging.kafka.network.rx", "{response}", "Responses received from brokers.", s => s.Rx);
        Counter("messaging.kafka.network.received", "By", "Bytes received from brokers.", s => s.RxBytes);
        Counter("messaging.kafka.message.tx", "{message}", "Messages sent to brokers.", s => s.TxMessages);
        Counter("messaging.kafka.message.transmitted", "By", "Message bytes (keys and values) sent to brokers.", s => s.TxMessageBytes);
        Counter("messaging.kafka.message.rx", "{message}", "Messages consumed, not counting ignored ones.", s => s.RxMessages);
        Counter("messaging.kafka.message.received", "By", "Message bytes (keys and values) consumed.", s => s.RxMessageBytes);
        _meter.CreateObservableGauge("messaging.kafka.cluster.available", ObserveClusterAvailable, "{cluster}",
            "1 when the last readiness check reached the cluster, 0 when it did not (the service is degraded or unready, as its /health says).");
    }

    /// <summary>The outcome of the last readiness check (<c>KafkaHealthCheck</c>), for <c>messaging.kafka.cluster.available</c>.</summary>
    public void RecordClusterAvailable(bool available) => Volatile.Write(ref _clusterAvailable, available ? 1 : 0);

    private IEnumerable<Measurement<int>> ObserveClusterAvailable()
    {
        if (Volatile.Read(ref _clusterAvailable) is var available and >= 0)
        {
            yield return new Measurement<int>(available, new KeyValuePair<string, object?>("server.address", _serverAddress));
        }
    }

    /// <summary>
    /// Starts the span of one produce call to <paramref name="topic"/>, or returns null (tracing disabled or nobody
    /// listening). Client kind: the message's own producer span is the caller's (its context travels in the envelope).
    /// </summary>
    public Activity? StartSend(string topic)
    {
        var activity = _activitySource?.StartActivity($"send {topic}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.destination.name", topic);
            activity.SetTag("server.address", _serverAddress);
        }
        return activity;
    }

    /// <summary>
    /// Produces one message to <paramref name="topic"/> inside a <see cref="StartSend"/> span, which records where the
    /// broker put it or, when the produce throws, that it failed (the exception is rethrown). Every producer of the
    /// services sends through here, so their spans cannot drift apart.
    /// </summary>
    public async Task ProduceAsync<TKey, TValue>(IProducer<TKey, TValue> producer, string topic, Message<TKey, TValue> message, CancellationToken cancellationToken)
    {
        using var activity = StartSend(topic);
        try
        {
            var delivered = await producer.ProduceAsync(topic, message, cancellationToken);
            Delivered(activity, delivered.TopicPartitionOffset);
        }
        catch (Exception ex) when (ex is KafkaException or OperationCanceledException)
        {
            Failed(activity, ex);
            throw;
        }
    }

    /// <summary>Completes a <see cref="StartSend"/> span with where the broker put the message.</summary>
    private static void Delivered(Activity? activity, TopicPartitionOffset position)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.destination.partition.id", position.Partition.Value.ToString(CultureInfo.InvariantCulture));
            activity.SetTag("messaging.kafka.offset", position.Offset.Value);
        }
    }

    /// <summary>Marks a <see cref="StartSend"/> span failed (the caller rethrows).</summary>
    private static void Failed(Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.SetTag("error.type", exception.GetType().FullName);
    }

    /// <summary>Called by librdkafka's statistics callback; keeps the newest top-level totals of that client handle.</summary>
    public void RecordStatistics(string json)
    {
        if (ClientStatistics.TryParse(json) is { } statistics)
        {
            _clients[statistics.Handle] = statistics;
        }
    }

    public void Dispose()
    {
        _activitySource?.Dispose();
        _meter.Dispose();
    }

    private void Gauge(string name, string unit, string description, Func<ClientStatistics, long?> value) =>
        _meter.CreateObservableGauge(name, () => Observe(value), unit, description);

    private void Counter(string name, string unit, string description, Func<ClientStatistics, long?> value) =>
        _meter.CreateObservableCounter(name, () => Observe(value), unit, description);

    private IEnumerable<Measurement<long>> Observe(Func<ClientStatistics, long?> value)
    {
        foreach (var statistics in _clients.Values)
        {
            if (value(statistics) is { } measured)
            {
                yield return new Measurement<long>(measured,
                    new KeyValuePair<string, object?>("messaging.client_id", statistics.ClientId),
                    new KeyValuePair<string, object?>("messaging.kafka.client.name", statistics.Handle));
            }
        }
    }

    /// <summary>The top-level totals of one statistics report (https://github.com/confluentinc/librdkafka/blob/master/STATISTICS.md).</summary>
    internal sealed record ClientStatistics(
        string Handle, string ClientId, string Type,
        long ReplyQueue, long MessageCount, long MessageBytes,
        long Tx, long TxBytes, long Rx, long RxBytes,
        long TxMessages, long TxMessageBytes, long RxMessages, long RxMessageBytes)
    {
        public static ClientStatistics? TryParse(string json)
        {
            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            string? handle = null, clientId = null, type = null;
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            try
            {
                // Only the first level: the per-broker and per-topic objects below it are skipped unread.
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var property = reader.GetString()!;
                    reader.Read();
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.Number when reader.TryGetInt64(out var number):
                            values[property] = number;
                            break;
                        case JsonTokenType.String when property == "name":
                            handle = reader.GetString();
                            break;
                        case JsonTokenType.String when property == "client_id":
                            clientId = reader.GetString();
                            break;
                        case JsonTokenType.String when property == "type":
                            type = reader.GetString();
                            break;
                        case JsonTokenType.StartObject or JsonTokenType.StartArray:
                            reader.Skip();
                            break;
                    }
                }
            }
            catch (JsonException)
            {
                return null;
            }
            if (handle is null || type is null)
            {
                return null;
            }
            long Get(string key) => values.GetValueOrDefault(key);
            return new ClientStatistics(handle, clientId ?? handle, type,
                Get("replyq"), Get("msg_cnt"), Get("msg_size"),
                Get("tx"), Get("tx_bytes"), Get("rx"), Get("rx_bytes"),
                Get("txmsgs"), Get("txmsg_bytes"), Get("rxmsgs"), Get("rxmsg_bytes"));
        }
    }
}
