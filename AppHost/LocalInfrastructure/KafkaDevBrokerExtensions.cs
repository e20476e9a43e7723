using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RealtimeAspire.AppHost.LocalInfrastructure;

public static class KafkaDevBrokerExtensions
{
    /// <summary>
    /// Kafka: <c>ConnectionStrings:{name}</c> when configured (a real cluster; in a publish the deployment supplies it,
    /// e.g. Event Hubs' Kafka endpoint), else the in-memory dev broker.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddKafkaDevBroker(this IDistributedApplicationBuilder builder, string name)
    {
        if (builder.ExecutionContext.IsPublishMode || builder.Configuration.GetConnectionString(name) is not null)
        {
            return builder.AddConnectionString(name);
        }

        var project = new Projects.KafkaMockBroker().ProjectPath;
        var assembly = Path.Combine(Path.GetDirectoryName(project)!, "bin", LocalInfrastructureOptions.BuildConfiguration, "net10.0", "KafkaMockBroker.dll");
        var broker = new KafkaDevBrokerResource(name, assembly);

        var healthCheck = $"{name}_check";
        // One instance for the AppHost's life, disposed with it: the factory runs at every check, and each admin client
        // holds threads that dial the broker.
        builder.Services.AddKeyedSingleton(healthCheck, (_, _) => new KafkaMetadataHealthCheck(broker));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck,
            sp => sp.GetRequiredKeyedService<KafkaMetadataHealthCheck>(healthCheck), HealthStatus.Unhealthy, tags: null, timeout: TimeSpan.FromSeconds(5)));

        return builder.AddResource(broker)
            .WithLocalTcpEndpoint(KafkaDevBrokerResource.EndpointName)
            .WithArgs(context =>
            {
                if (!File.Exists(assembly))
                {
                    throw new FileNotFoundException($"{assembly} is not built: build the AppHost (dotnet build AppHost), which builds it.");
                }
                context.Args.Add(assembly);
                context.Args.Add("--listen");
                context.Args.Add(broker.Endpoint.Property(EndpointProperty.TargetPort));
            })
            .WithHealthCheck(healthCheck);
    }

    /// <summary>Healthy when the cluster answers a metadata request with at least one broker.</summary>
    private sealed class KafkaMetadataHealthCheck(KafkaDevBrokerResource broker) : IHealthCheck, IDisposable
    {
        private IAdminClient? _admin;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            // The probe's answer is its result; librdkafka's own lines ("brokers are down") would only flood the console.
            _admin ??= new AdminClientBuilder(new AdminClientConfig { BootstrapServers = await broker.ConnectionStringExpression.GetValueAsync(cancellationToken) })
                .SetLogHandler((_, _) => { })
                .Build();
            var admin = _admin;
            // GetMetadata blocks: keep it off the caller's thread.
            return await Task.Run(() =>
            {
                try
                {
                    return admin.GetMetadata(TimeSpan.FromSeconds(2)).Brokers.Count > 0
                        ? HealthCheckResult.Healthy(KafkaDevBrokerResource.Note)
                        : HealthCheckResult.Unhealthy("The dev broker reports no broker.");
                }
                catch (KafkaException ex)
                {
                    return HealthCheckResult.Unhealthy(ex.Message, ex);
                }
            }, cancellationToken);
        }

        public void Dispose() => _admin?.Dispose();
    }
}
