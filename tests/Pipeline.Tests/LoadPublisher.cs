using System.Collections.Concurrent;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using RealtimeAspire.Client;
using RealtimeAspire.ConnectionService.Tests.Clients;

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>One publishing connection's share of a load: <paramref name="Count"/> messages to one channel through one replica.</summary>
public sealed record PublishPlan(Uri Replica, string Channel, int Count);

/// <summary>An acknowledged publish: what the service promised is durable. <paramref name="At"/>: when the ack arrived.</summary>
public sealed record Acked(string Channel, long Seq, string MsgId, string Key, DateTime At);

/// <summary>
/// Publishes a load over WebSocket connections of the .NET client (one client per plan, straight to the plan's
/// replica, each its own user), pipelined, each connection paced under the namespace's publish limit (50/s, burst
/// 100 by default: the limits are not changed for the tests). A <c>rate_limited</c> or <c>publish_failed</c> refusal
/// means "not published, retry": the message is sent again and the refusal counted. Any other error, and any
/// reconnect (which the client would otherwise ride out silently, where a raw socket's load failed), fails the load.
/// Acknowledgements are collected as they come, so a test can act in the middle of the load.
/// </summary>
public sealed class LoadPublisher : IAsyncDisposable
{
    /// <summary>Publishes of one connection waiting for their ack at once (the service allows 64).</summary>
    private const int Window = 32;
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly List<(RealtimeClient Client, PublishPlan Plan, string Label)> _connections;
    private readonly double _ratePerSecond;
    private readonly ConcurrentQueue<string> _reconnects = new();
    private int _acked;
    private int _publishFailed;
    private int _rateLimited;

    private LoadPublisher(List<(RealtimeClient, PublishPlan, string)> connections, double ratePerSecond)
    {
        _connections = connections;
        _ratePerSecond = ratePerSecond;
        foreach (var (client, plan, label) in _connections)
        {
            client.StateChanged += state =>
            {
                if (state.Status == RealtimeConnectionStatus.Reconnecting)
                {
                    _reconnects.Enqueue($"{label} on {plan.Replica}: {state.Reason}");
                }
            };
        }
    }

    public ConcurrentQueue<Acked> Acks { get; } = new();

    public int AckedCount => Volatile.Read(ref _acked);

    public int PublishFailed => Volatile.Read(ref _publishFailed);

    public int RateLimited => Volatile.Read(ref _rateLimited);

    public int Total => _connections.Sum(c => c.Plan.Count);

    /// <summary>Opens one connection per plan; <paramref name="ratePerSecond"/> is per connection, at most 45 so that the service's 50/s is never reached.</summary>
    public static async Task<LoadPublisher> ConnectAsync(IReadOnlyList<PublishPlan> plans, double ratePerSecond = 40)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ratePerSecond, 45);
        var run = Guid.NewGuid().ToString("N")[..8];
        var connections = await Task.WhenAll(plans.Select(async (plan, i) =>
        {
            var user = $"load-{run}-{i}";
            var token = await Tokens.ForAsync(plan.Replica, user, ["*"], ["*"]).WaitAsync(ConnectTimeout);
            var client = new RealtimeClient(new RealtimeClientOptions
            {
                EdgeUrl = plan.Replica,
                Token = token,
                Transports = [RealtimeTransport.WebSocket],
            });
            await client.ConnectAsync().WaitAsync(ConnectTimeout);
            return (client, plan, user);
        })).WaitAsync(ConnectTimeout * 2);
        return new LoadPublisher([.. connections], ratePerSecond);
    }

    /// <summary>Publishes every plan's messages until each is acknowledged.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_connections.Select(c => Task.Run(() => RunConnectionAsync(c.Client, c.Plan, c.Label, cancellationToken), cancellationToken)));
        Assert.True(_reconnects.IsEmpty, $"A publishing connection dropped: {string.Join("; ", _reconnects)}");
    }

    /// <summary>Until <paramref name="count"/> acks are in (polling, bounded), or the load ended (its failure is thrown).</summary>
    public async Task WaitForAcksAsync(int count, Task running, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (AckedCount < count)
        {
            if (running.IsCompleted)
            {
                await running;
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Only {AckedCount} of {count} acks within {timeout}.");
            await Task.Delay(20);
        }
    }

    private async Task RunConnectionAsync(RealtimeClient client, PublishPlan plan, string label, CancellationToken cancellationToken)
    {
        var work = Channel.CreateUnbounded<int>();
        for (var i = 0; i < plan.Count; i++)
        {
            work.Writer.TryWrite(i);
        }
        var remaining = plan.Count;
        using var window = new SemaphoreSlim(Window, Window);
        var perTick = Math.Max(1, (int)Math.Round(_ratePerSecond / 10));
        using var pace = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            // Starts with one tick's worth, not the service's burst, so a test's load is spread over time.
            TokenLimit = perTick,
            TokensPerPeriod = perTick,
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var publishes = new List<Task>();

        async Task PublishAsync(int index)
        {
            try
            {
                var ack = await client.PublishAsync(plan.Channel, new { key = $"{label}:{index}" }, stop.Token).WaitAsync(FrameTimeout, stop.Token);
                Acks.Enqueue(new Acked(plan.Channel, ack.Seq, ack.MsgId, $"{label}:{index}", DateTime.UtcNow));
                Interlocked.Increment(ref _acked);
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    work.Writer.TryComplete();
                }
            }
            catch (RealtimeException ex) when (ex.Code == "rate_limited")
            {
                Interlocked.Increment(ref _rateLimited);
                work.Writer.TryWrite(index);
            }
            catch (RealtimeException ex) when (ex.Code == "publish_failed")
            {
                Interlocked.Increment(ref _publishFailed);
                work.Writer.TryWrite(index);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                work.Writer.TryComplete(new InvalidOperationException($"Unexpected reply to a publish on {plan.Channel}: {ex.Message}", ex));
            }
            finally
            {
                window.Release();
            }
        }

        try
        {
            await foreach (var i in work.Reader.ReadAllAsync(stop.Token))
            {
                await window.WaitAsync(stop.Token);
                using var lease = await pace.AcquireAsync(1, stop.Token);
                publishes.Add(PublishAsync(i));
            }
            await Task.WhenAll(publishes).WaitAsync(FrameTimeout, cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_connections.Select(c => c.Client.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
