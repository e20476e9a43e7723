using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using RealtimeAspire.Integrations.Kafka;
using RealtimeAspire.Integrations.Auth;
using RealtimeAspire.MessageService.Apis;
using RealtimeAspire.MessageService.Configuration;
using RealtimeAspire.MessageService.Consumers;
using RealtimeAspire.MessageService.Data;
using RealtimeAspire.MessageService.Diagnostics;
using RealtimeAspire.MessageService.Gaps;
using RealtimeAspire.MessageService.Persistence;
using RealtimeAspire.MessageService.Recovery;

namespace RealtimeAspire.MessageService.Extensions;

public static class MessageServiceExtensions
{
    /// <summary>Message.Service's endpoints behind its authentication: the history API and the sequence recovery endpoint.</summary>
    public static WebApplication MapMessageService(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHistoryApi();
        app.MapSequenceRecoveryApi();
        return app;
    }

    /// <summary>
    /// Everything Message.Service is made of: its clients (PostgreSQL <c>messages</c>, Kafka <c>kafka</c>, Redis
    /// <c>redis</c>), the schema migration, the Kafka → PostgreSQL pipeline, gap repair, sequence recovery and the
    /// history API's authentication. Hosted services start in this order: migrate, then ingest, then repair.
    /// </summary>
    public static IHostApplicationBuilder AddMessageService(this IHostApplicationBuilder builder)
    {
        builder.AddMessagesDatabase();
        // Degraded, not Unhealthy, while Kafka does not answer: ingestion waits for it, but history goes on being
        // served from PostgreSQL, and an Unhealthy service would take the history route out of the edge
        // (docs/message-service.md, "Health").
        builder.AddKafkaClient("kafka", healthCheckFailureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded);
        // Aspire's client integration (section Aspire:StackExchange:Redis, health check "StackExchange.Redis", Redis
        // spans), with the options every service needs: reconnecting by itself, healthy on a Redis Cluster.
        builder.AddRedisClient("redis", configureOptions: RealtimeAspire.Integrations.Redis.RedisClientDefaults.Apply);

        AddValidatedOptions<ConsumerOptions>(builder, ConsumerOptions.SectionName)
            .Validate(o => o.MinRetryDelay <= o.MaxRetryDelay,
                $"{ConsumerOptions.SectionName}:MinRetryDelay must not exceed {ConsumerOptions.SectionName}:MaxRetryDelay.");
        // Data annotations plus GapRepairOptions.Validate (TailWindow > GracePeriod).
        AddValidatedOptions<GapRepairOptions>(builder, GapRepairOptions.SectionName);
        AddValidatedOptions<SequenceRecoveryOptions>(builder, SequenceRecoveryOptions.SectionName);
        AddValidatedOptions<HistoryOptions>(builder, HistoryOptions.SectionName)
            .Validate(o => o.DefaultLimit <= o.MaxLimit,
                $"{HistoryOptions.SectionName}:DefaultLimit must not exceed {HistoryOptions.SectionName}:MaxLimit.");

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MessageServiceTelemetry>();
        services.TryAddSingleton<MessageBatchWriter>();
        services.TryAddSingleton<DeadLetterProducer>();
        services.TryAddSingleton<KafkaConsumerLoop>();
        services.TryAddSingleton<RedisHistoryReader>();
        services.TryAddSingleton<ConsumerGroupProgress>();
        services.TryAddSingleton<MaxSequenceQuery>();
        services.TryAddSingleton<SequenceClaims>();

        services.AddHostedService<DatabaseMigrator>();
        services.AddHostedService<MessageIngestion>();
        services.AddHostedService<GapRepairService>();

        builder.AddChannelAuthentication();
        return builder;
    }

    /// <summary>
    /// PostgreSQL <c>messages</c> through Aspire's client integrations, on one connection pool with one health check:
    /// <list type="number">
    /// <item><c>Aspire.Npgsql</c> registers the <see cref="NpgsqlDataSource"/> (the pool) that the raw SQL uses
    /// (batch writer, gap repair, sequence recovery), the readiness check <c>PostgreSql</c>, and Npgsql's spans and metrics;</item>
    /// <item>the <see cref="MessagesDbContext"/> (pooled) is built on that same data source, and
    /// <c>Aspire.Npgsql.EntityFrameworkCore.PostgreSQL</c> enriches it. Its health check and instrumentation are off
    /// (the data source's already cover the same pool), and so is its retrying execution strategy: every write path
    /// has its own retry, and a retried history read would only stack on the caller's own retries. See docs/message-service.md.</item>
    /// </list>
    /// </summary>
    internal static void AddMessagesDatabase(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("messages");
        builder.Services.AddDbContextPool<MessagesDbContext>((sp, options) => options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.EnrichNpgsqlDbContext<MessagesDbContext>(settings =>
        {
            settings.DisableRetry = true;
            settings.DisableHealthChecks = true;
            settings.DisableTracing = true;
            settings.DisableMetrics = true;
        });
    }

    private static OptionsBuilder<T> AddValidatedOptions<T>(IHostApplicationBuilder builder, string section) where T : class =>
        builder.Services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
