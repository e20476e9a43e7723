using Microsoft.Extensions.DependencyInjection.Extensions;
using RealtimeAspire.PresenceService.Apis;
using RealtimeAspire.PresenceService.Configuration;
using RealtimeAspire.PresenceService.Diagnostics;
using RealtimeAspire.PresenceService.Events;
using RealtimeAspire.PresenceService.Expiry;
using RealtimeAspire.PresenceService.Reports;
using RealtimeAspire.PresenceService.Store;
using RealtimeAspire.Integrations.Auth;

namespace Microsoft.Extensions.Hosting;

public static class PresenceServiceExtensions
{
    /// <summary>Presence.Service's endpoints behind its authentication: the presence queries and the replicas' reports.</summary>
    public static WebApplication MapPresenceService(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPresenceApi();
        app.MapReportsApi();
        return app;
    }

    /// <summary>Everything Presence.Service needs: Redis, auth, options, the store, events, lease expiry.</summary>
    public static IHostApplicationBuilder AddPresenceService(this IHostApplicationBuilder builder)
    {
        // Aspire's client integration (section Aspire:StackExchange:Redis, health check "StackExchange.Redis", Redis
        // spans), with the options every service needs: reconnecting by itself, healthy on a Redis Cluster.
        builder.AddRedisClient("redis", configureOptions: RealtimeAspire.Integrations.Redis.RedisClientDefaults.Apply);
        builder.Services.AddRedisPubSub();
        builder.AddChannelAuthentication();
        builder.Services.AddSingleton<RealtimeAspire.PresenceService.Auth.ReportKey>();

        var services = builder.Services;
        services.AddOptions<PresenceOptions>().BindConfiguration(PresenceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PresenceTelemetry>();
        services.TryAddSingleton<IPresenceStore, RedisPresenceStore>();
        services.TryAddSingleton<IPresencePublisher, RedisPresencePublisher>();
        services.AddSingleton<PresenceEventBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<PresenceEventBatcher>());
        services.AddSingleton<PresenceReports>();
        services.AddHostedService<LeaseExpiry>();
        return builder;
    }
}
