using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RealtimeAspire.Integrations.Kafka;

/// <summary>Readiness: the cluster answers a metadata request and reports at least one broker.</summary>
internal sealed class KafkaHealthCheck(KafkaConnection connection, KafkaClientSettings settings, KafkaClientLog log) : IHealthCheck, IDisposable
{
    // One admin client for the life of the process: building one per probe would open new broker connections every second.
    private readonly IAdminClient _admin = new AdminClientBuilder(connection.CreateAdminConfig())
        .SetLogHandler(log.OnLog).SetErrorHandler(log.OnError).Build();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        // GetMetadata blocks: keep it off the request thread.
        Task.Run(() =>
        {
            try
            {
                var brokers = _admin.GetMetadata(settings.HealthCheckTimeout).Brokers.Count;
                return brokers > 0
                    ? HealthCheckResult.Healthy($"{brokers} broker(s)")
                    : HealthCheckResult.Unhealthy("The cluster reports no broker.");
            }
            catch (KafkaException ex)
            {
                return HealthCheckResult.Unhealthy("Kafka metadata request failed.", ex);
            }
        }, cancellationToken);

    public void Dispose() => _admin.Dispose();
}
