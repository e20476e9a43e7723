using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace RealtimeAspire.Integrations.Kafka;

/// <summary>
/// Readiness: the cluster answers a metadata request and reports at least one broker. When it does not, the check
/// reports its registration's failure status: Unhealthy by default, Degraded for a service that goes on serving
/// without Kafka (<see cref="KafkaIntegration.AddKafkaClient"/>). Every change between the two is logged once and
/// is the gauge <c>messaging.kafka.cluster.available</c>.
/// A probe never waits out a metadata request that hangs: a cluster that does not answer makes the request last its
/// whole <see cref="KafkaClientSettings.HealthCheckTimeout"/> (3 s), longer than the edge's probe timeout (2 s) and a
/// platform's readiness timeout, so such a probe would fail however the result is classified. One request runs at a
/// time; a probe waits at most <see cref="KafkaClientSettings.HealthCheckMaxWait"/> for it and otherwise answers the
/// last completed one.
/// </summary>
internal sealed class KafkaHealthCheck(KafkaConnection connection, KafkaClientSettings settings, KafkaClientLog log, ILogger<KafkaHealthCheck> logger)
    : IHealthCheck, IDisposable
{
    private const int Unknown = -1, Unavailable = 0, Available = 1;

    // One admin client for the life of the process: building one per probe would open new broker connections every second.
    private readonly IAdminClient _admin = new AdminClientBuilder(connection.CreateAdminConfig())
        .SetLogHandler(log.OnLog).SetErrorHandler(log.OnError).Build();

    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _request;
    private HealthCheckResult? _last;
    private int _lastAvailability = Unknown;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Task<HealthCheckResult> request;
        HealthCheckResult? last;
        lock (_gate)
        {
            if (_request is null || _request.IsCompleted)
            {
                var failure = context.Registration.FailureStatus;
                var name = context.Registration.Name;
                // GetMetadata blocks: off the request thread, and not tied to one probe's cancellation.
                _request = Task.Run(() => Record(name, RequestMetadata(failure)), CancellationToken.None);
            }
            request = _request;
            last = _last;
        }
        if (last is null)
        {
            // Nothing known yet (the first probe): this one waits for the answer.
            return await request.WaitAsync(cancellationToken);
        }
        try
        {
            return await request.WaitAsync(settings.HealthCheckMaxWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            return last.Value;
        }
    }

    private HealthCheckResult RequestMetadata(HealthStatus failure)
    {
        try
        {
            var brokers = _admin.GetMetadata(settings.HealthCheckTimeout).Brokers.Count;
            return brokers > 0
                ? HealthCheckResult.Healthy($"{brokers} broker(s)")
                : new HealthCheckResult(failure, "The cluster reports no broker.");
        }
        catch (KafkaException ex)
        {
            return new HealthCheckResult(failure, "Kafka metadata request failed.", ex);
        }
    }

    /// <summary>Keeps the result for the probes that do not wait, and logs a change of availability once.</summary>
    private HealthCheckResult Record(string name, HealthCheckResult result)
    {
        var available = result.Status == HealthStatus.Healthy;
        lock (_gate)
        {
            _last = result;
        }
        connection.Telemetry.RecordClusterAvailable(available);
        var previous = Interlocked.Exchange(ref _lastAvailability, available ? Available : Unavailable);
        if (previous == (available ? Available : Unavailable))
        {
            return result;
        }
        if (!available)
        {
            KafkaHealthLog.ClusterUnavailable(logger, name, connection.BootstrapServers, result.Status, result.Description, result.Exception?.Message);
        }
        else if (previous == Unavailable)
        {
            KafkaHealthLog.ClusterAvailable(logger, name, connection.BootstrapServers, result.Description);
        }
        return result;
    }

    public void Dispose() => _admin.Dispose();
}
