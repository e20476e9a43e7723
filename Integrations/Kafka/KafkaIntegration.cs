using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace RealtimeAspire.Integrations.Kafka;

public static class KafkaIntegration
{
    /// <summary>
    /// Registers <see cref="KafkaConnection"/> (and through it <see cref="KafkaClientTelemetry"/>) for the cluster in
    /// <c>ConnectionStrings:{connectionName}</c>, plus a readiness check named <paramref name="connectionName"/>: the
    /// shape of Aspire's client integrations. Settings: <see cref="KafkaClientSettings"/>, bound from
    /// <c>RealtimeAspire:Kafka</c> and <c>RealtimeAspire:Kafka:{connectionName}</c>, then <paramref name="configureSettings"/>.
    /// A missing connection string or an invalid setting fails here, at start, naming the key to fix.
    /// <paramref name="healthCheckFailureStatus"/> is what the check reports while the cluster does not answer:
    /// Unhealthy (<c>/health</c> 503) for a service that is of no use without Kafka; Degraded (<c>/health</c> 200,
    /// "Degraded") for one that goes on serving without it, so that its probes (the edge's routing, Aspire's
    /// <c>WaitFor</c>, a platform's readiness) keep it in rotation. A decision of the service's design, not of a
    /// deployment: a parameter, not a setting.
    /// </summary>
    public static IHostApplicationBuilder AddKafkaClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaClientSettings>? configureSettings = null,
        HealthStatus healthCheckFailureStatus = HealthStatus.Unhealthy)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var section = builder.Configuration.GetSection(KafkaClientSettings.DefaultConfigSectionName);
        var settings = new KafkaClientSettings();
        section.Bind(settings);
        section.GetSection(connectionName).Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { } connectionString)
        {
            settings.ConnectionString = connectionString;
        }
        configureSettings?.Invoke(settings);
        Validate(settings, connectionName);

        builder.Services.TryAddSingleton(settings);
        builder.Services.TryAddSingleton<KafkaClientTelemetry>();
        builder.Services.TryAddSingleton<KafkaConnection>();
        builder.Services.AddOptions<KafkaLogOptions>().BindConfiguration(KafkaLogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<KafkaClientLog>();

        if (!settings.DisableHealthChecks)
        {
            builder.Services.TryAddSingleton<KafkaHealthCheck>();
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                connectionName,
                sp => sp.GetRequiredService<KafkaHealthCheck>(),
                healthCheckFailureStatus,
                tags: null,
                // A little longer than the metadata request itself, so the check reports its own failure.
                timeout: settings.HealthCheckTimeout + TimeSpan.FromSeconds(1)));
        }
        return builder;
    }

    /// <summary>Reports every invalid setting at once, each by its configuration key.</summary>
    private static void Validate(KafkaClientSettings settings, string connectionName)
    {
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new ConnectionStringMissingException(connectionName);
        }
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
        {
            throw new InvalidOperationException(string.Join(" ", results.Select(r =>
                $"{KafkaClientSettings.DefaultConfigSectionName}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")));
        }
    }
}
