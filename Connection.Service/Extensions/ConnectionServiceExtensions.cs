using RealtimeAspire.ConnectionService.Apis;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Channels;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Drain;
using RealtimeAspire.ConnectionService.Fanout;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.ConnectionService.History;
using RealtimeAspire.ConnectionService.Publishing;
using RealtimeAspire.ConnectionService.Subscriptions;
using RealtimeAspire.ConnectionService.Transports;
using RealtimeAspire.ConnectionService.Transports.LongPolling;
using RealtimeAspire.ConnectionService.Transports.ServerSentEvents;
using RealtimeAspire.ConnectionService.Transports.WebSockets;
using RealtimeAspire.Integrations.Kafka;

namespace Microsoft.Extensions.Hosting;

public static class ConnectionServiceExtensions
{
    /// <summary>Everything the Connection.Service needs: options, Redis, Kafka, auth, channels, fan-out, publishing, drain.</summary>
    public static IHostApplicationBuilder AddConnectionService(this IHostApplicationBuilder builder)
    {
        // Aspire's client integration (section Aspire:StackExchange:Redis, health check "StackExchange.Redis", Redis
        // spans), with the options every service needs: reconnecting by itself, healthy on a Redis Cluster.
        builder.AddRedisClient("redis", configureOptions: RealtimeAspire.Integrations.Redis.RedisClientDefaults.Apply);
        builder.Services.AddRedisPubSub();
        // Kafka is the durable path of publishes to durable namespaces only: without it those are refused with the
        // retryable publish_failed, while every socket, ephemeral publish, fan-out and presence goes on. So a replica
        // whose Kafka does not answer is Degraded, not Unhealthy: /health stays 200 and the edge keeps it in rotation
        // (an Unhealthy replica loses every new connection and long poll: docs/edge.md, "Health and drain").
        builder.AddKafkaClient("kafka", healthCheckFailureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded);
        builder.AddRealtimeAuth();
        builder.AddPresenceReporting();

        var services = builder.Services;
        services.AddOptions<ChannelOptions>().BindConfiguration(ChannelOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ChannelOptions>, ChannelOptionsValidator>();
        services.AddOptions<ConnectionLimitsOptions>().BindConfiguration(ConnectionLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KafkaProducerOptions>().BindConfiguration(KafkaProducerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DrainOptions>().BindConfiguration(DrainOptions.SectionName);
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<ForwardedHeadersSettings>>((forwarded, settings) =>
            {
                // Host and scheme only: X-Forwarded-For is not needed, and the limits key on users, not addresses.
                // Loopback stays trusted (the defaults); further edge networks come from configuration.
                forwarded.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedHost | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
                foreach (var network in settings.Value.TrustedNetworks)
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
                }
            });

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ConnectionMetrics>();
        services.AddSingleton<ChannelPolicy>();
        services.AddSingleton<ChannelGate>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<ChannelFanout>();
        services.AddSingleton<ChannelHistory>();
        services.AddSingleton<ChannelSubscriber>();
        services.AddSingleton<MessageProducer>();
        services.AddSingleton<MessagePublisher>();
        if (builder.Configuration.GetSection("services:message-service").Exists())
        {
            // A burst of first publishes is claimed in batches (one request, one commit at Message.Service).
            services.AddOptions<ClaimBatchOptions>().BindConfiguration(ClaimBatchOptions.SectionName).ValidateOnStart();
            services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ClaimBatchOptions>, ClaimBatchOptionsValidator>();
            services.AddSingleton<SequenceClaimBatcher>();
            // One instance for publishes and subscribes (not a transient typed client per consumer): a subscribe and
            // a publish that find the same channel without a counter share one recovery, instead of claiming it
            // twice, the second finding it known and waiting for max-seq.
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<SequenceRecoveryClient>(sp,
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(SequenceRecoveryClient.HttpClientName)));
            // Recovery may wait out Kafka's delivery timeout and the consumer's catch-up: longer than the default
            // attempt timeout, so this client replaces the default handler (the API is marked experimental).
#pragma warning disable EXTEXP0001
            services.AddHttpClient(SequenceRecoveryClient.HttpClientName, http => http.BaseAddress = new Uri(SequenceRecoveryClient.ServiceUri))
                .RemoveAllResilienceHandlers()
#pragma warning restore EXTEXP0001
                .AddStandardResilienceHandler(resilience =>
                {
                    resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
                    resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
                    resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(65);
                });
        }
        services.AddSingleton<HttpPublishRateLimiter>();
        services.AddSingleton<DrainCoordinator>();
        services.AddSingleton<HttpRefusals>();
        services.AddSingleton<ConnectionAdmission>();
        services.AddSingleton<TransportRuntime>();
        services.AddSingleton<WebSocketSession>();
        services.AddOptions<WebSocketAcceptOptions>().BindConfiguration(WebSocketAcceptOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // On every endpoint Kestrel binds (ASPNETCORE_URLS, Aspire's, Kestrel:Endpoints): endpoint defaults apply to all.
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<WebSocketAcceptOptions>>((kestrel, accept) =>
            {
                if (accept.Value.ConnectionMiddleware)
                {
                    kestrel.ConfigureEndpointDefaults(listen => listen.Use(next =>
                        ActivatorUtilities.CreateInstance<WebSocketConnectionAccept>(listen.ApplicationServices, next).OnConnectedAsync));
                }
            });
        services.AddHttpClient<PersistedHistoryClient>(http => http.BaseAddress = new Uri(PersistedHistoryClient.ServiceUri));
        services.AddHostedService<DrainOnShutdown>();
        services.AddHostedService<SseHeartbeats>();
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(60));
        services.AddHealthChecks().AddCheck<DrainCoordinator>("drain");
        return builder;
    }

    /// <summary>The transports, the publish API, the operator API and (in Development) the token endpoint.</summary>
    public static WebApplication MapConnectionService(this WebApplication app)
    {
        var transport = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TransportOptions>>().Value;
        var replica = app.Services.GetRequiredService<ReplicaIdentity>();
        // The one place the replica header is set: on every response, before any endpoint runs.
        app.Use((context, next) =>
        {
            context.Response.Headers[RealtimeHeaders.Replica] = replica.Name;
            return next(context);
        });
        app.UseForwardedHeaders();
        CloseReasonStream.UseWebSocketCloseReasons(app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = transport.KeepAliveInterval, KeepAliveTimeout = transport.KeepAliveTimeout });
        // Before authentication: a socket's request must not keep the middlewares below suspended for its life.
        WebSocketEndpoint.UseWebSocketConnect(app);
        app.UseAuthentication();
        app.UseAuthorization();

        var connect = app.MapGroup("/connect").RequireAuthorization();
        connect.MapGet("/sse", ServerSentEventsEndpoint.ConnectAsync);
        connect.MapGet("/poll", LongPollingEndpoint.PollAsync);
        app.MapGet("/connect/info", (ReplicaIdentity identity) => TypedResults.Ok(new { service = identity.Service, replica = identity.Name }));

        app.MapPublishApi();
        app.MapTypingApi();
        app.MapAdminApi();
        if (RealtimeAspire.ServiceDefaults.Production.ProductionSettingsOptions.IsDevTokenEndpointEnabled(app.Configuration, app.Environment))
        {
            app.MapDevTokenApi();
        }
        return app;
    }
}
