using Confluent.Kafka;

namespace RealtimeAspire.Integrations.Kafka;

/// <summary>
/// The Kafka cluster a service was given, and the one place its long-lived clients are built: every builder made here
/// bootstraps from <see cref="BootstrapServers"/>, sends without Nagle's delay and, unless metrics are disabled,
/// reports librdkafka's statistics to <see cref="KafkaClientTelemetry"/>.
/// </summary>
public sealed class KafkaConnection(KafkaClientSettings settings, KafkaClientTelemetry telemetry)
{
    public string BootstrapServers { get; } = settings.ConnectionString
        ?? throw new ArgumentException("The settings carry no bootstrap servers.", nameof(settings));

    public KafkaClientTelemetry Telemetry => telemetry;

    /// <summary>A producer builder for <paramref name="config"/> (its bootstrap servers are set here).</summary>
    public ProducerBuilder<TKey, TValue> CreateProducerBuilder<TKey, TValue>(ProducerConfig config)
    {
        Prepare(config);
        var builder = new ProducerBuilder<TKey, TValue>(config);
        if (!settings.DisableMetrics)
        {
            builder.SetStatisticsHandler((_, json) => telemetry.RecordStatistics(json));
        }
        return builder;
    }

    /// <summary>
    /// A consumer builder for <paramref name="config"/>. Only for a consumer that calls <c>Consume</c> all the time:
    /// librdkafka hands a consumer its statistics inside <c>Consume</c>, so one that is never polled would queue them up.
    /// </summary>
    public ConsumerBuilder<TKey, TValue> CreateConsumerBuilder<TKey, TValue>(ConsumerConfig config)
    {
        Prepare(config);
        var builder = new ConsumerBuilder<TKey, TValue>(config);
        if (!settings.DisableMetrics)
        {
            builder.SetStatisticsHandler((_, json) => telemetry.RecordStatistics(json));
        }
        return builder;
    }

    /// <summary>An admin client's configuration: the cluster and its security, nothing else.</summary>
    public AdminClientConfig CreateAdminConfig()
    {
        var config = new AdminClientConfig();
        ApplyCluster(config);
        return config;
    }

    private void ApplyCluster(ClientConfig config)
    {
        foreach (var (key, value) in settings.Client)
        {
            config.Set(key, value);
        }
        config.BootstrapServers = BootstrapServers;
    }

    private void Prepare(ClientConfig config)
    {
        ApplyCluster(config);
        // librdkafka leaves Nagle's algorithm on by default (kafka-clients always sets TCP_NODELAY): a small produce
        // request sent while the previous one is unanswered then waits for the broker's (possibly delayed) TCP ack,
        // and every publish's ack waits for its produce. linger.ms is the batching we choose; a cluster's own
        // setting (RealtimeAspire:Kafka:Client:SocketNagleDisable) is kept.
        config.SocketNagleDisable ??= true;
        if (!settings.DisableMetrics)
        {
            config.StatisticsIntervalMs = settings.StatisticsIntervalMs;
        }
    }
}
