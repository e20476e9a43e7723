using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Aspire.Hosting.ApplicationModel;
using RealtimeAspire.PresenceService.Tests.Store;
using RealtimeAspire.Testing;
using StackExchange.Redis;

namespace RealtimeAspire.PresenceService.Tests.Integrations;

/// <summary>
/// Aspire.StackExchange.Redis as the services register it (with ServiceDefaults), against a real Redis: the vendored
/// OpenTelemetry instrumentation must work with the StackExchange.Redis this repository pins, and the health check
/// and the reconnecting multiplexer must be what the services rely on.
/// </summary>
[Collection(nameof(RedisCollection))]
public sealed class RedisClientIntegrationTests(RedisFixture redis)
{
    private const string RedisActivitySource = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    [Fact]
    public async Task RedisCommandsAreTracedAndTheHealthCheckIsReady()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RedisActivitySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = redis.ConnectionString });
        builder.AddServiceDefaults();
        builder.AddRedisClient("redis", configureOptions: options => options.AbortOnConnectFail = false);
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        try
        {
            var multiplexer = host.Services.GetRequiredService<IConnectionMultiplexer>();
            var key = $"integration-test:{Guid.NewGuid():N}";
            await multiplexer.GetDatabase().StringSetAsync(key, "1", TimeSpan.FromMinutes(1));

            // The instrumentation turns profiled commands into spans on its own flush interval.
            await BoundedWait.UntilAsync(() => Task.FromResult(spans.Any(span => span.DisplayName == "SETEX" || span.DisplayName == "SET")),
                TimeSpan.FromSeconds(30), "the SET command's span");

            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(timeout.Token);
            Assert.Equal(HealthStatus.Healthy, report.Entries["StackExchange.Redis"].Status);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task TheMultiplexerReconnectsByItselfAfterRedisRestarts()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = redis.ConnectionString });
        builder.AddRedisClient("redis", configureOptions: options => options.AbortOnConnectFail = false);
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var database = host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        await database.PingAsync();

        var instance = redis.Topology.Instance("redis");
        await instance.StopAsync();
        await redis.Topology.WaitAsync(() => KnownResourceStates.TerminalStates.Contains(instance.State), TimeSpan.FromSeconds(30), "redis stopped", "redis").WaitAsync(timeout.Token);
        var down = await health.CheckHealthAsync(timeout.Token);
        Assert.Equal(HealthStatus.Unhealthy, down.Entries["StackExchange.Redis"].Status);

        await instance.StartAsync();
        await redis.Topology.WaitForResourceHealthyAsync("redis", TimeSpan.FromSeconds(60)).WaitAsync(timeout.Token);
        // The same multiplexer, never rebuilt: it reconnects on its own schedule.
        await BoundedWait.UntilAsync(async () =>
        {
            await database.PingAsync();
            return true;
        }, TimeSpan.FromSeconds(30), "the multiplexer to answer a PING again", isTransient: ex => ex is RedisConnectionException or RedisTimeoutException);
        var up = await health.CheckHealthAsync(timeout.Token);
        Assert.Equal(HealthStatus.Healthy, up.Entries["StackExchange.Redis"].Status);
    }

    [Fact]
    public void TheMultiplexerDoesNotAbortWhenRedisIsDown()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        // A port nothing listens on: with AbortOnConnectFail=false the multiplexer is created and keeps retrying.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = "127.0.0.1:1,connectTimeout=200" });
        builder.AddRedisClient("redis", configureOptions: options => options.AbortOnConnectFail = false);
        using var host = builder.Build();

        var multiplexer = host.Services.GetRequiredService<IConnectionMultiplexer>();

        Assert.False(multiplexer.IsConnected);
    }
}
