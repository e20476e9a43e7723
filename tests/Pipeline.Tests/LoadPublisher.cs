using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using RealtimeAspire.ConnectionService.Tests.Clients;

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>One publishing connection's share of a load: <paramref name="Count"/> messages to one channel through one replica.</summary>
public sealed record PublishPlan(Uri Replica, string Channel, int Count);

/// <summary>An acknowledged publish: what the service promised is durable. <paramref name="At"/>: when the ack arrived.</summary>
public sealed record Acked(string Channel, long Seq, string MsgId, string Key, DateTime At);

/// <summary>
/// Publishes a load over WebSocket connections (one per plan, each its own user), pipelined, each connection paced
/// under the namespace's publish limit (50/s, burst 100 by default: the limits are not changed for the tests).
/// A <c>rate_limited</c> or <c>publish_failed</c> refusal means "not published, retry": the message is sent again and
/// the refusal counted. Acknowledgements are collected as they come, so a test can act in the middle of the load.
/// </summary>
public sealed class LoadPublisher : IAsyncDisposable
{
    /// <summary>Publishes of one connection waiting for their ack at once (the service allows 64).</summary>
    private const int Window = 32;
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly List<(RealtimeSocket Socket, PublishPlan Plan, string Label)> _connections;
    private readonly double _ratePerSecond;
    private int _acked;
    private int _publishFailed;
    private int _rateLimited;

    private LoadPublisher(List<(RealtimeSocket, PublishPlan, string)> connections, double ratePerSecond)
    {
        _connections = connections;
        _ratePerSecond = ratePerSecond;
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
            var socket = await RealtimeSocket.ConnectAsync(plan.Replica, token).WaitAsync(ConnectTimeout);
            return (socket, plan, user);
        })).WaitAsync(ConnectTimeout * 2);
        return new LoadPublisher([.. connections], ratePerSecond);
    }

    /// <summary>Publishes every plan's messages until each is acknowledged.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_connections.Select(c => Task.Run(() => RunConnectionAsync(c.Socket, c.Plan, c.Label, cancellationToken), cancellationToken)));

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

    private async Task RunConnectionAsync(RealtimeSocket socket, PublishPlan plan, string label, CancellationToken cancellationToken)
    {
        var work = Channel.CreateUnbounded<int>();
        for (var i = 0; i < plan.Count; i++)
        {
            work.Writer.TryWrite(i);
        }
        var pending = new ConcurrentDictionary<long, int>();
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

        var sender = Task.Run(async () =>
        {
            await foreach (var i in work.Reader.ReadAllAsync(stop.Token))
            {
                await window.WaitAsync(stop.Token);
                using var lease = await pace.AcquireAsync(1, stop.Token);
                var id = socket.NextId();
                pending[id] = i;
                await socket.SendAsync(new { type = "publish", id, channel = plan.Channel, data = new { key = $"{label}:{i}" } });
            }
        }, stop.Token);

        try
        {
            var acked = 0;
            while (acked < plan.Count)
            {
                JsonElement frame;
                try
                {
                    frame = await socket.NextAsync(f => f.TryGetProperty("id", out _), FrameTimeout);
                }
                catch (TimeoutException) when (sender.IsFaulted)
                {
                    await sender;
                    throw;
                }
                if (!pending.TryRemove(frame.GetProperty("id").GetInt64(), out var index))
                {
                    throw new InvalidOperationException($"A reply to no pending publish: {frame}");
                }
                window.Release();
                switch (frame.GetProperty("type").GetString())
                {
                    case "ack":
                        Acks.Enqueue(new Acked(plan.Channel, frame.GetProperty("seq").GetInt64(), frame.GetProperty("msgId").GetString()!, $"{label}:{index}", DateTime.UtcNow));
                        acked++;
                        Interlocked.Increment(ref _acked);
                        break;
                    case "error" when frame.GetProperty("code").GetString() == "rate_limited":
                        Interlocked.Increment(ref _rateLimited);
                        work.Writer.TryWrite(index);
                        break;
                    case "error" when frame.GetProperty("code").GetString() == "publish_failed":
                        Interlocked.Increment(ref _publishFailed);
                        work.Writer.TryWrite(index);
                        break;
                    default:
                        throw new InvalidOperationException($"Unexpected reply to a publish on {plan.Channel}: {frame}");
                }
            }
            work.Writer.Complete();
            await sender.WaitAsync(FrameTimeout, cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_connections.Select(c => c.Socket.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
