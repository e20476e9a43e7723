using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Fanout;
using RealtimeAspire.ConnectionService.Protocol;
using RealtimeAspire.Integrations.Redis;
using StackExchange.Redis;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>
/// <c>realtime.redis.subscriptions</c> is what the replica holds in Redis now: it goes up on a channel's first local
/// subscriber and back down with its last, so it must be an up-down counter (a Counter is monotonic: exporters drop
/// or mis-sum its negative increments). Driven through the real fan-out against the topology's Redis.
/// </summary>
[Collection(nameof(StrictCollection))]
public sealed class RedisSubscriptionGaugeTests(StrictTopology strict)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheGaugeRisesWithEachChannelsFirstSubscriberAndFallsBackToZeroWithTheLast()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var gauge = new GaugeReading(meters, "realtime.redis.subscriptions");
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await strict.Topology.Instance("redis").ConnectionStringAsync())!).WaitAsync(Timeout);
        var fanout = new ChannelFanout(redis, new RedisPubSub(redis, NullLogger<RedisPubSub>.Instance), new ConnectionMetrics(meters), TimeProvider.System);
        var channel = $"chat:gauge-{Guid.NewGuid():N}";
        var first = new Subscriber(channel);
        var second = new Subscriber(channel);
        var other = new Subscriber($"chat:gauge-other-{Guid.NewGuid():N}");

        await fanout.AddAsync(first).WaitAsync(Timeout);
        await fanout.AddAsync(second).WaitAsync(Timeout);
        Assert.Equal(1, gauge.Value);
        await fanout.AddAsync(other).WaitAsync(Timeout);
        Assert.Equal(2, gauge.Value);

        await fanout.RemoveAsync(first).WaitAsync(Timeout);
        Assert.Equal(2, gauge.Value);
        await fanout.RemoveAsync(second).WaitAsync(Timeout);
        Assert.Equal(1, gauge.Value);
        await fanout.RemoveAsync(other).WaitAsync(Timeout);
        Assert.Equal(0, gauge.Value);

        Assert.IsType<UpDownCounter<long>>(gauge.Instrument);
        Assert.Equal([1, 1, -1, -1], gauge.Increments);
    }

    private sealed class Subscriber(string channel) : IChannelSubscription
    {
        public string Channel { get; } = channel;

        public long LastSeq => 0;

        public void OnLive(in LiveMessage message)
        {
        }
    }

    /// <summary>The sum of one instrument's increments from the meters of one <see cref="IMeterFactory"/> (other tests' meters share the name).</summary>
    private sealed class GaugeReading : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<long> _increments = [];

        public GaugeReading(IMeterFactory meters, string name)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == name && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    Instrument = instrument;
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
            {
                lock (_increments)
                {
                    _increments.Add(value);
                }
            });
            _listener.Start();
        }

        public Instrument? Instrument { get; private set; }

        public IReadOnlyList<long> Increments
        {
            get
            {
                lock (_increments)
                {
                    return [.. _increments];
                }
            }
        }

        public long Value => Increments.Sum();

        public void Dispose() => _listener.Dispose();
    }
}
