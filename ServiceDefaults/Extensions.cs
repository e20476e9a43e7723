using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RealtimeAspire.ServiceDefaults.Production;
using RealtimeAspire.ServiceDefaults.Redaction;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every RealtimeAspire service shares, in the shape of Aspire's ServiceDefaults template:
/// OpenTelemetry, health endpoints, service discovery and HTTP resilience.
/// </summary>
public static class Extensions
{
    /// <summary>Every meter and activity source of the product starts with this prefix.</summary>
    public const string TelemetryPrefix = "RealtimeAspire.";

    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string MetricsEndpointPath = "/metrics";

    /// <summary>Health checks with this tag are part of liveness (<c>/alive</c>); every check is part of readiness (<c>/health</c>).</summary>
    public const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton(ReplicaIdentity.From(builder.Configuration, builder.Environment.ApplicationName));
        builder.Services.AddProblemDetails();
        // Before anything logs or traces: a token sent as ?access_token= never reaches a log line or a span.
        builder.AddAccessTokenRedaction();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddProductionSettingsValidation();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryPrefix + "*")
                .AddPrometheusExporter())
            // The client integrations add their own sources and meters (Npgsql, StackExchange.Redis; RealtimeAspire.Kafka
            // falls under the prefix), each where it is registered, so a service exports exactly the clients it uses.
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetryPrefix + "*")
                .AddAspNetCoreInstrumentation(aspnet =>
                    // Probes arrive every second from the AppHost and the edge; tracing them drowns real traffic.
                    aspnet.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                // Before the exporters' processors (added below), so a span is redacted before it is exported.
                .AddProcessor(new AccessTokenRedactionProcessor()));

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    /// <summary>
    /// OTLP for traces, metrics and logs whenever <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (an Aspire AppHost sets it
    /// to its dashboard), as Aspire's template does; the Prometheus endpoint stays for scrapers either way.
    /// </summary>
    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// In Production, refuse to start with what is there for local development (<see cref="ProductionSettingsValidator"/>);
    /// the failure names every configuration key to fix.
    /// </summary>
    public static TBuilder AddProductionSettingsValidation<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ProductionSettingsOptions>()
            .Configure<IConfiguration>((options, configuration) => options.ReadFrom(configuration))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ProductionSettingsOptions>, ProductionSettingsValidator>();
        builder.Services.AddOptions<HealthEndpointsOptions>().BindConfiguration(HealthEndpointsOptions.SectionName);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsEndpointPath);
        if (!(app.Services.GetRequiredService<IOptions<HealthEndpointsOptions>>().Value.Enabled ?? app.Environment.IsDevelopment()))
        {
            ServiceDefaultsLog.HealthEndpointsNotMapped(app.Logger, HealthEndpointPath, AlivenessEndpointPath, app.Environment.EnvironmentName);
            return app;
        }
        // Readiness: every registered check, the service's dependencies included.
        app.MapHealthChecks(HealthEndpointPath);
        // Liveness: only the process itself, so a dependency outage never gets a healthy process restarted.
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
        });
        return app;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath)
        || path.StartsWithSegments(AlivenessEndpointPath)
        || path.StartsWithSegments(MetricsEndpointPath);
}
