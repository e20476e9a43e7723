using System.Collections.Concurrent;
using System.Diagnostics;
using RealtimeAspire.Client;

namespace RealtimeAspire.Reliability.Tests.Scenario;

/// <summary>A publish the service acknowledged: what it promised is durable.</summary>
public sealed record Acked(string Channel, long Seq, string MsgId, string Key, TimeSpan At);

/// <summary>A publish that was not acknowledged, with the protocol's (or the client's) code; <c>skipped</c>: never sent.</summary>
public sealed record Refused(string Channel, string Key, string Code, TimeSpan At);

/// <summary>
/// A bounded acknowledged load through the edge: one .NET client per channel (its own user; WebSocket first, so it
/// reconnects and fails over as an application's would) publishing <see cref="RatePerChannel"/> messages a second
/// for <see cref="Duration"/>, at most <see cref="Window"/> waiting for their ack at once. Bounded in count (one
/// attempt per tick: rate × duration) and in time (a tick that finds the window full is recorded <c>skipped</c>, not
/// sent later in a burst; a publish gets <see cref="PublishTimeout"/>). Every ack and every refusal is recorded.
/// A refused publish is not retried: it may or may not have been fanned out and persisted (<c>connection_lost</c>,
/// <c>publish_failed</c>), so the audit only holds the service to what it acknowledged.
/// </summary>
public sealed class AcknowledgedLoad : IAsyncDisposable
{
    public const int Window = 8;
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(20);
    public const string Skipped = "skipped";
    public const string Timeout = "timeout";

    private readonly List<(RealtimeClient Client, string Channel, string User)> _publishers;
    private readonly Stopwatch _clock;

    private AcknowledgedLoad(List<(RealtimeClient, string, string)> publishers, double ratePerChannel, TimeSpan duration, Stopwatch clock)
    {
        _publishers = publishers;
        RatePerChannel = ratePerChannel;
        Duration = duration;
        _clock = clock;
    }

    public double RatePerChannel { get; }

    public TimeSpan Duration { get; }

    public IReadOnlyList<string> Channels => [.. _publishers.Select(p => p.Channel)];

    public ConcurrentQueue<Acked> Acks { get; } = new();

    public ConcurrentQueue<Refused> Refusals { get; } = new();

    /// <summary>Attempts planned: one per tick per channel.</summary>
    public int Planned => _publishers.Count * (int)Math.Round(RatePerChannel * Duration.TotalSeconds);

    public string Describe() =>
        $"{_publishers.Count} ch × {RatePerChannel:0} msg/s × {Duration.TotalSeconds:0} s";

    /// <summary>Acks that arrived after <paramref name="at"/> on the scenario's clock, per channel.</summary>
    public bool EveryChannelAckedAfter(TimeSpan at) =>
        Channels.All(channel => Acks.Any(a => a.Channel == channel && a.At > at));

    /// <summary>One connected publisher per channel, through the topology's edge.</summary>
    public static async Task<AcknowledgedLoad> ConnectAsync(ReliabilityTopology topology, IReadOnlyList<string> channels, double ratePerChannel, TimeSpan duration, Stopwatch clock)
    {
        // Under the namespace's 50/s per connection and the edge's 50/s per user, so that no refusal is the load's own doing.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ratePerChannel, 40);
        var run = Guid.NewGuid().ToString("N")[..6];
        var publishers = await Task.WhenAll(channels.Select(async (channel, i) =>
        {
            var user = $"pub-{run}-{i}";
            var token = await topology.TokenAsync(user);
            var client = new RealtimeClient(ClientOptions.For(topology.EdgeUrl, token, [RealtimeTransport.WebSocket, RealtimeTransport.ServerSentEvents, RealtimeTransport.LongPolling]));
            await client.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return (client, channel, user);
        })).WaitAsync(TimeSpan.FromSeconds(60));
        return new AcknowledgedLoad([.. publishers], ratePerChannel, duration, clock);
    }

    /// <summary>Runs the whole load; returns when every attempt has its outcome (acked, refused, skipped).</summary>
    public Task RunAsync() => Running = Task.WhenAll(_publishers.Select(p => Task.Run(() => RunPublisherAsync(p.Client, p.Channel, p.User))));

    public Task Running { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Once the load is over, one more publish on each channel that has no ack after <paramref name="after"/>: a fault
    /// that outlasts the load is still only over when publishes are acknowledged again. Recorded like the load's own.
    /// </summary>
    public async Task ProbeAsync(TimeSpan after)
    {
        if (!Running.IsCompleted)
        {
            return;
        }
        await Task.WhenAll(_publishers.Where(p => !Acks.Any(a => a.Channel == p.Channel && a.At > after)).Select(p =>
        {
            var window = new SemaphoreSlim(0, 1);
            return PublishOneAsync(p.Client, p.Channel, $"{p.User}:probe-{Guid.NewGuid():N}", window);
        }));
    }

    private async Task RunPublisherAsync(RealtimeClient client, string channel, string user)
    {
        var count = (int)Math.Round(RatePerChannel * Duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1 / RatePerChannel);
        var window = new SemaphoreSlim(Window, Window);
        var inFlight = new List<Task>(count);
        var start = _clock.Elapsed;
        for (var i = 0; i < count; i++)
        {
            // Pacing: each attempt has its tick; the schedule, not the acks, sets the rate.
            var due = start + interval * i;
            if (due > _clock.Elapsed)
            {
                await Task.Delay(due - _clock.Elapsed);
            }
            var key = $"{user}:{i}";
            if (!window.Wait(0))
            {
                Refusals.Enqueue(new Refused(channel, key, Skipped, _clock.Elapsed));
                continue;
            }
            inFlight.Add(PublishOneAsync(client, channel, key, window));
        }
        await Task.WhenAll(inFlight);
    }

    private async Task PublishOneAsync(RealtimeClient client, string channel, string key, SemaphoreSlim window)
    {
        try
        {
            using var timeout = new CancellationTokenSource(PublishTimeout);
            var ack = await client.PublishAsync(channel, new { key }, timeout.Token);
            Acks.Enqueue(new Acked(channel, ack.Seq, ack.MsgId, key, _clock.Elapsed));
        }
        catch (RealtimeException ex)
        {
            Refusals.Enqueue(new Refused(channel, key, ex.Code, _clock.Elapsed));
        }
        catch (OperationCanceledException)
        {
            Refusals.Enqueue(new Refused(channel, key, Timeout, _clock.Elapsed));
        }
        finally
        {
            window.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_publishers.Select(p => p.Client.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
