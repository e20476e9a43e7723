using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using RealtimeAspire.Integrations;
using RealtimeAspire.Integrations.Auth;
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
    /// <summary>
    /// Everything Message.Service is made of: its clients (PostgreSQL <c>messages</c>, Kafka <c>kafka</c>, Redis
    /// <c>redis</c>), the schema migration, the Kafka → PostgreSQL pipeline, gap repair, sequence recovery and the
    /// history API's authentication. Hosted services start in this order: migrate, then ingest, then repair.
    /// </summary>
    public static IHostApplicationBuilder AddMessageService(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("messages");
        builder.AddKafkaClient("kafka");
        builder.AddRedisClient("redis");

        AddValidatedOptions<ConsumerOptions>(builder, ConsumerOptions.SectionName)
            .Validate(o => o.MinRetryDelay <= o.MaxRetryDelay,
                $"{ConsumerOptions.SectionName}:MinRetryDelay must not exceed {ConsumerOptions.SectionName}:MaxRetryDelay.");
        AddValidatedOptions<GapRepairOptions>(builder, GapRepairOptions.SectionName);
        AddValidatedOptions<SequenceRecoveryOptions>(builder, SequenceRecoveryOptions.SectionName);
        AddValidatedOptions<HistoryOptions>(builder, HistoryOptions.SectionName)
            .Validate(o => o.DefaultLimit <= o.MaxLimit,
                $"{HistoryOptions.SectionName}:DefaultLimit must not exceed {HistoryOptions.SectionName}:MaxLimit.");

        builder.Services.AddDbContext<MessagesDbContext>((sp, options) => options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MessageServiceTelemetry>();
        services.TryAddSingleton<MessageBatchWriter>();
        services.TryAddSingleton<DeadLetterProducer>();
        services.TryAddSingleton<KafkaConsumerLoop>();
        services.TryAddSingleton<RedisHistoryReader>();
        services.TryAddSingleton<ConsumerGroupProgress>();
        services.TryAddSingleton<SequenceRecovery>();

        services.AddHostedService<DatabaseMigrator>();
        services.AddHostedService<MessageIngestion>();
        services.AddHostedService<GapRepairService>();

        builder.AddChannelAuthentication();
        return builder;
    }

    private static OptionsBuilder<T> AddValidatedOptions<T>(IHostApplicationBuilder builder, string section) where T : class =>
        builder.Services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
