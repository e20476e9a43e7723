using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Fanout;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.Integrations.Redis;
using RealtimeAspire.Testing;
using StackExchange.Redis;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>
/// <c>realtime.fanout.latency</c> is one point per message per replica (its cost must not grow with subscribers ×
/// messages), taken once the message is queued for every local subscriber, and it is the message's age since its
/// publish. Driven through the real fan-out against the topology's Redis.
/// </summary>
[Collection(nameof(StrictCollection))]
public sealed class FanoutLatencyMetricTests(StrictTopology strict)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EachMessageIsRecordedOnceWithItsAgeHoweverManyLocalSubscribersItHas()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var latency = new HistogramReading(meters, "realtime.fanout.latency");
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await strict.Topology.Instance("redis").ConnectionStringAsync())!).WaitAsync(Timeout);
        var pubSub = new RedisPubSub(redis, NullLogger<RedisPubSub>.Instance);
        var fanout = new ChannelFanout(redis, pubSub, new ConnectionMetrics(meters), TimeProvider.System);
        var channel = $"feed:latency-{Guid.NewGuid():N}";
        var subscribers = Enumerable.Range(0, 3).Select(_ => new Subscriber(channel)).ToArray();
        foreach (var subscriber in subscribers)
        {
            await fanout.AddAsync(subscriber).WaitAsync(Timeout);
        }

        const long AgeMs = 5_000;
        var publishedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - AgeMs;
        for (var seq = 1; seq <= 2; seq++)
        {
            await redis.GetSubscriber().PublishAsync(pubSub.Topic(channel), FanoutPayload.Create(seq, publishedAt, FrameKind.Message, "{}"u8)).WaitAsync(Timeout);
        }
        await BoundedWait.UntilAsync(() => Task.FromResult(subscribers.All(s => s.Received == 2) && latency.Values.Count >= 2), Timeout,
            "both messages delivered to the three subscribers and recorded");

        Assert.Equal(2, latency.Values.Count);
        Assert.All(latency.Values, ms => Assert.InRange(ms, AgeMs, AgeMs + Timeout.TotalMilliseconds));
        foreach (var subscriber in subscribers)
        {
            await fanout.RemoveAsync(subscriber).WaitAsync(Timeout);
        }
    }

    private sealed class Subscriber(string channel) : IChannelSubscription
    {
        private int _received;

        public string Channel { get; } = channel;

        public long LastSeq => 0;

        public int Received => Volatile.Read(ref _received);

        public void OnLive(in LiveMessage message) => Interlocked.Increment(ref _received);
    }

    /// <summary>The points one histogram of one <see cref="IMeterFactory"/>'s meters recorded (other tests' meters share the name).</summary>
    private sealed class HistogramReading : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<double> _values = [];

        public HistogramReading(IMeterFactory meters, string name)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == name && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
            {
                lock (_values)
                {
                    _values.Add(value);
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<double> Values
        {
            get
            {
                lock (_values)
                {
                    return [.. _values];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
