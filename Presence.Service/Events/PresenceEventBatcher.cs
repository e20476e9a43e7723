using System.Threading.Channels;
using Microsoft.Extensions.Options;
using RealtimeAspire.PresenceService.Configuration;
using RealtimeAspire.PresenceService.Diagnostics;
using RealtimeAspire.PresenceService.Store;

namespace RealtimeAspire.PresenceService.Events;

/// <summary>
/// Turns transitions into presence frames, one per channel per window: the first transition of a channel opens a
/// window of <see cref="PresenceOptions.EventWindow"/>; what arrives until it closes goes into the same frame. Within
/// a window a user's transitions collapse to the net change (joined then left again is nothing), so a reconnect
/// storm does not become an event storm. A channel larger than <see cref="PresenceOptions.SummaryAboveMembers"/> gets one
/// summary per window (counts, no names), and once its last frame was a summary its windows last
/// <see cref="PresenceOptions.SummaryWindow"/>: each subscriber's cost is then bounded per second, however fast members
/// join. Windows of one length close in the order they opened, so one queue of due times per length serves them all.
/// </summary>
public sealed class PresenceEventBatcher(
    IPresencePublisher publisher,
    IPresenceStore store,
    IOptions<PresenceOptions> options,
    TimeProvider time,
    PresenceTelemetry telemetry,
    ILogger<PresenceEventBatcher> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<PresenceTransition>> _pending = new(StringComparer.Ordinal);
    // At most one entry per channel with an open window: bounded by the channels that changed within one window.
    private readonly Channel<(string Channel, long DueMs)> _due = DueQueue();
    private readonly Channel<(string Channel, long DueMs)> _dueLarge = DueQueue();
    // Channels whose last frame was a summary; one leaves when a flush finds it at or below the threshold again.
    private readonly HashSet<string> _large = new(StringComparer.Ordinal);

    public void Add(IReadOnlyList<PresenceTransition> transitions)
    {
        if (transitions.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var settings = options.Value;
        lock (_gate)
        {
            foreach (var transition in transitions)
            {
                if (!_pending.TryGetValue(transition.Channel, out var list))
                {
                    _pending[transition.Channel] = list = [];
                    var large = _large.Contains(transition.Channel);
                    (large ? _dueLarge : _due).Writer.TryWrite((transition.Channel, now + (long)Window(large, settings).TotalMilliseconds));
                }
                list.Add(transition);
            }
        }
    }

    /// <summary>The net change of each user over a window, in the order users first appeared.</summary>
    public static (List<PresenceTransition> Joined, List<PresenceTransition> Left) Net(IReadOnlyList<PresenceTransition> transitions)
    {
        var first = new Dictionary<string, PresenceTransition>(StringComparer.Ordinal);
        var last = new Dictionary<string, PresenceTransition>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var transition in transitions)
        {
            if (first.TryAdd(transition.User, transition))
            {
                order.Add(transition.User);
            }
            last[transition.User] = transition;
        }
        var joined = new List<PresenceTransition>();
        var left = new List<PresenceTransition>();
        foreach (var user in order)
        {
            // Present before the window iff the first transition was a leave; after iff the last was a join.
            var before = !first[user].Joined;
            var after = last[user].Joined;
            if (before != after)
            {
                (after ? joined : left).Add(last[user]);
            }
        }
        return (joined, left);
    }

    /// <summary>The window a transition of <paramref name="channel"/> would open now.</summary>
    internal TimeSpan WindowOf(string channel)
    {
        lock (_gate)
        {
            return Window(_large.Contains(channel), options.Value);
        }
    }

    private static TimeSpan Window(bool large, PresenceOptions settings) => large ? settings.SummaryWindow : settings.EventWindow;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(CloseWindowsAsync(_due, stoppingToken), CloseWindowsAsync(_dueLarge, stoppingToken));

    private async Task CloseWindowsAsync(Channel<(string Channel, long DueMs)> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (channel, due) in queue.Reader.ReadAllAsync(stoppingToken))
            {
                var wait = due - time.GetUtcNow().ToUnixTimeMilliseconds();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), time, stoppingToken);
                }
                await FlushAsync(channel);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // What is still in a window goes out now rather than being lost with the process.
        foreach (var queue in new[] { _due, _dueLarge })
        {
            while (queue.Reader.TryRead(out var item))
            {
                await FlushAsync(item.Channel);
            }
        }
    }

    private async Task FlushAsync(string channel)
    {
        List<PresenceTransition>? transitions;
        lock (_gate)
        {
            _pending.Remove(channel, out transitions);
        }
        if (transitions is null)
        {
            return;
        }
        var (joined, left) = Net(transitions);
        if (joined.Count + left.Count == 0)
        {
            return;
        }
        var settings = options.Value;
        try
        {
            // The count after the window (read after it closed: it includes every change this frame reports).
            var count = await store.CountAsync(channel, CancellationToken.None);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var large = count > settings.SummaryAboveMembers;
            lock (_gate)
            {
                if (large)
                {
                    _large.Add(channel);
                }
                else
                {
                    _large.Remove(channel);
                }
            }
            if (large)
            {
                await PublishAsync(channel, PresenceFrame.Summary(channel, count, joined.Count, left.Count, now), summary: true);
                return;
            }
            List<PresenceTransition> changes = [.. joined, .. left];
            for (var offset = 0; offset < changes.Count; offset += settings.MaxUsersPerFrame)
            {
                var part = changes.GetRange(offset, Math.Min(settings.MaxUsersPerFrame, changes.Count - offset));
                await PublishAsync(channel, PresenceFrame.Payload(channel, count, part.Where(t => t.Joined), part.Where(t => !t.Joined), now), summary: false);
            }
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            logger.PublishFailed(channel, ex);
        }
    }

    private static Channel<(string Channel, long DueMs)> DueQueue() =>
        Channel.CreateUnbounded<(string, long)>(new UnboundedChannelOptions { SingleReader = true });

    private async Task PublishAsync(string channel, byte[] payload, bool summary)
    {
        await publisher.PublishAsync(channel, payload);
        telemetry.FramePublished(payload.Length, summary);
    }
}
