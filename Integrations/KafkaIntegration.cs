using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace RealtimeAspire.Integrations;

/// <summary>The Kafka bootstrap servers a service was given.</summary>
public sealed record KafkaConnection(string BootstrapServers);

public static class KafkaIntegration
{
    /// <summary>Registers <see cref="KafkaConnection"/> from <c>ConnectionStrings:{name}</c> and a readiness check (cluster metadata).</summary>
    public static IHostApplicationBuilder AddKafkaClient(this IHostApplicationBuilder builder, string connectionName)
    {
        var bootstrap = builder.Configuration.GetConnectionString(connectionName) ?? throw new ConnectionStringMissingException(connectionName);
        builder.Services.AddSingleton(new KafkaConnection(bootstrap));
        builder.Services.AddOptions<KafkaLogOptions>().BindConfiguration(KafkaLogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<KafkaClientLog>();
        builder.Services.AddSingleton<KafkaHealthCheck>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            sp => sp.GetRequiredService<KafkaHealthCheck>(),
            HealthStatus.Unhealthy,
            tags: null,
            timeout: TimeSpan.FromSeconds(3)));
        return builder;
    }

    private sealed class KafkaHealthCheck(KafkaConnection connection, KafkaClientLog log) : IHealthCheck, IDisposable
    {
        private readonly IAdminClient _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = connection.BootstrapServers })
            .SetLogHandler(log.OnLog).SetErrorHandler(log.OnError).Build();

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            // GetMetadata blocks: keep it off the request thread.
            Task.Run(() =>
            {
                try
                {
                    var brokers = _admin.GetMetadata(TimeSpan.FromSeconds(2)).Brokers.Count;
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
}
