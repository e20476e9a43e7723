using System.ComponentModel.DataAnnotations;
using Confluent.Kafka;

namespace RealtimeAspire.Integrations.Kafka;

/// <summary>
/// Settings of our Kafka client integration, shaped like Aspire's client integration settings
/// (<c>Aspire:Confluent:Kafka</c>; that package is not served here, so this one is ours). Bound from
/// <c>RealtimeAspire:Kafka</c>, then <c>RealtimeAspire:Kafka:{connectionName}</c>; <c>ConnectionStrings:{connectionName}</c>
/// (what the AppHost sets) wins over <see cref="ConnectionString"/>. See docs/configuration.md.
/// </summary>
public sealed class KafkaClientSettings
{
    public const string DefaultConfigSectionName = "RealtimeAspire:Kafka";

    public const int DefaultStatisticsIntervalMs = 5_000;

    public static readonly TimeSpan DefaultHealthCheckTimeout = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan DefaultHealthCheckMaxWait = TimeSpan.FromMilliseconds(500);

    /// <summary>The bootstrap servers (<c>host:port[,host:port…]</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>No readiness check on <c>/health</c> (cluster metadata through an admin client).</summary>
    public bool DisableHealthChecks { get; set; }

    /// <summary>No <c>send</c> spans around produce calls.</summary>
    public bool DisableTracing { get; set; }

    /// <summary>No librdkafka statistics (the client does not even collect them) and so no <c>messaging.kafka.*</c> instruments.</summary>
    public bool DisableMetrics { get; set; }

    /// <summary>How often librdkafka reports its statistics, which become the <c>messaging.kafka.*</c> instruments.</summary>
    [Range(100, 3_600_000)]
    public int StatisticsIntervalMs { get; set; } = DefaultStatisticsIntervalMs;

    /// <summary>
    /// librdkafka properties every client of the service gets (producers, consumers, the health check's admin client),
    /// bound by Confluent's property names from <c>RealtimeAspire:Kafka:Client</c>: the security of a managed cluster,
    /// e.g. Event Hubs' Kafka endpoint (<c>SecurityProtocol=SaslSsl</c>, <c>SaslMechanism=Plain</c>,
    /// <c>SaslUsername=$ConnectionString</c>, <c>SaslPassword=</c> the namespace's connection string; docs/deploy.md).
    /// </summary>
    public ClientConfig Client { get; } = new();

    /// <summary>How long the health check waits for cluster metadata before reporting unhealthy.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HealthCheckTimeout { get; set; } = DefaultHealthCheckTimeout;

    /// <summary>
    /// How long a probe of <c>/health</c> waits for the metadata request in flight before it answers the last completed
    /// one: a cluster that does not answer must not make <c>/health</c> itself slower than its callers' timeouts.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan HealthCheckMaxWait { get; set; } = DefaultHealthCheckMaxWait;
}
