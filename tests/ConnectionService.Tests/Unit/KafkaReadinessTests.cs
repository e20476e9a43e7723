using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeAspire.Integrations.Kafka;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

/// <summary>
/// What a replica's readiness says while Kafka does not answer: Degraded for Connection.Service (it keeps serving
/// sockets, ephemeral publishes and presence, so the edge keeps routing to it), Unhealthy by default; the change is
/// logged once and is a gauge. Against a real librdkafka admin client and a port nothing listens on.
/// </summary>
public sealed class KafkaReadinessTests
{
    [Fact]
    public async Task AnUnreachableClusterIsReportedWithTheFailureStatusTheServiceChoseAndLoggedOnce()
    {
        var logs = new RecordingLoggerProvider();
        using var services = Services(logs, HealthStatus.Degraded);
        using var gauge = new GaugeReader(services.GetRequiredService<IMeterFactory>(), "messaging.kafka.cluster.available");
        var health = services.GetRequiredService<HealthCheckService>();

        var first = await health.CheckHealthAsync();
        var second = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, first.Status);
        Assert.Equal(HealthStatus.Degraded, second.Entries["kafka"].Status);
        Assert.Equal("Kafka metadata request failed.", second.Entries["kafka"].Description);
        var unavailable = Assert.Single(logs.Lines, l => l.EventId == 9002);
        Assert.Equal(LogLevel.Warning, unavailable.Level);
        Assert.Contains("reports Degraded", unavailable.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, l => l.EventId == 9003);
        Assert.Equal([0], gauge.Read());
    }

    [Fact]
    public async Task WithoutAChoiceAnUnreachableClusterMakesTheServiceUnhealthy()
    {
        using var services = Services(new RecordingLoggerProvider(), failureStatus: null);

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["kafka"].Status);
    }

    [Fact]
    public void ConnectionServiceReportsKafkaAsDegradedAndRedisAndItsDrainAsUnhealthy()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = "127.0.0.1:9092",
            ["ConnectionStrings:redis"] = "127.0.0.1:6379",
            ["Auth:SigningKey"] = new string('k', 64),
        });
        builder.AddConnectionService();
        using var services = builder.Services.BuildServiceProvider();

        var registrations = services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.ToDictionary(r => r.Name, r => r.FailureStatus);

        // Kafka is only the durable path: without it the replica keeps its sockets and takes new ones (docs/edge.md).
        Assert.Equal(HealthStatus.Degraded, registrations["kafka"]);
        // Without Redis there is no fan-out, and a draining replica must take no new connection: both out of rotation.
        Assert.Equal(HealthStatus.Unhealthy, registrations["StackExchange.Redis"]);
        Assert.Equal(HealthStatus.Unhealthy, registrations["drain"]);
    }

    private static ServiceProvider Services(RecordingLoggerProvider logs, HealthStatus? failureStatus)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:kafka"] = $"127.0.0.1:{ClosedPort()}" });
        builder.Logging.ClearProviders().AddProvider(logs);
        void Configure(KafkaClientSettings settings) => settings.HealthCheckTimeout = TimeSpan.FromMilliseconds(500);
        if (failureStatus is { } status)
        {
            builder.AddKafkaClient("kafka", Configure, status);
        }
        else
        {
            builder.AddKafkaClient("kafka", Configure);
        }
        builder.Services.AddHealthChecks();
        return builder.Services.BuildServiceProvider();
    }

    /// <summary>A loopback port that was free a moment ago: connections to it are refused.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class GaugeReader : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<int> _values = new();

        /// <summary>Only this service provider's instrument: tests running beside this one have meters of the same name.</summary>
        public GaugeReader(IMeterFactory factory, string name)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == KafkaClientTelemetry.Name && instrument.Name == name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, value, _, _) => _values.Enqueue(value));
            _listener.Start();
        }

        public int[] Read()
        {
            _values.Clear();
            _listener.RecordObservableInstruments();
            return [.. _values];
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed record Line(int EventId, LogLevel Level, string Message);

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<Line> _lines = new();

        public IReadOnlyList<Line> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<Line> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(new Line(eventId.Id, logLevel, formatter(state, exception)));
        }
    }
}
