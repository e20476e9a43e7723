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
/// storm does not become an event storm. Windows close in the order they opened (one constant length), so one
/// queue of due times serves them all. A channel larger than <see cref="PresenceOptions.SummaryAboveMembers"/> gets one
/// summary per window (counts, no names): its subscribers' cost per join stays constant as the channel grows.
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
    private readonly Channel<(string Channel, long DueMs)> _due = Channel.CreateUnbounded<(string, long)>(new UnboundedChannelOptions { SingleReader = true });

    public void Add(IReadOnlyList<PresenceTransition> transitions)
    {
        if (transitions.Count == 0)
        {
            return;
        }
        var due = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)options.Value.EventWindow.TotalMilliseconds;
        lock (_gate)
        {
            foreach (var transition in transitions)
            {
                if (!_pending.TryGetValue(transition.Channel, out var list))
                {
                    _pending[transition.Channel] = list = [];
                    _due.Writer.TryWrite((transition.Channel, due));
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (channel, due) in _due.Reader.ReadAllAsync(stoppingToken))
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
        while (_due.Reader.TryRead(out var item))
        {
            await FlushAsync(item.Channel);
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
            if (count > settings.SummaryAboveMembers)
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

    private async Task PublishAsync(string channel, byte[] payload, bool summary)
    {
        await publisher.PublishAsync(channel, payload);
        telemetry.FramePublished(payload.Length, summary);
    }
}
