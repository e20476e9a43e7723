using RealtimeAspire.PresenceService.Diagnostics;
using RealtimeAspire.PresenceService.Events;
using RealtimeAspire.PresenceService.Store;

namespace RealtimeAspire.PresenceService.Reports;

/// <summary>What a replica's report does: update the store (atomically, with its lease), count, and queue the events.</summary>
public sealed class PresenceReports(IPresenceStore store, PresenceEventBatcher events, PresenceTelemetry telemetry, ILogger<PresenceReports> logger)
{
    public async Task ApplyAsync(string replica, IReadOnlyList<PresenceChange> changes, CancellationToken cancellationToken)
    {
        using var activity = telemetry.ActivitySource.StartActivity("presence changes");
        activity?.SetTag("presence.replica", replica);
        activity?.SetTag("presence.changes", changes.Count);
        Done(await store.ApplyAsync(replica, changes, cancellationToken), expired: false);
    }

    public async Task RefreshAsync(string replica, IReadOnlyList<PresenceEntry> members, CancellationToken cancellationToken)
    {
        using var activity = telemetry.ActivitySource.StartActivity("presence refresh");
        activity?.SetTag("presence.replica", replica);
        activity?.SetTag("presence.members", members.Count);
        var update = await store.RefreshAsync(replica, members, cancellationToken);
        logger.Refreshed(replica, members.Count, update.Transitions.Count);
        Done(update, expired: false);
    }

    public async Task ReleaseAsync(string replica, CancellationToken cancellationToken)
    {
        var update = await store.ReleaseAsync(replica, cancellationToken);
        logger.ReplicaReleased(replica, update.Transitions.Count);
        Done(update, expired: false);
    }

    /// <summary>Expires every replica whose lease has lapsed; returns how many were expired by this caller.</summary>
    public async Task<int> ExpireLapsedAsync(CancellationToken cancellationToken)
    {
        var expired = 0;
        foreach (var replica in await store.LapsedReplicasAsync(cancellationToken))
        {
            var update = await store.ExpireAsync(replica, cancellationToken);
            logger.ReplicaExpired(replica, update.Transitions.Count);
            Done(update, expired: true);
            expired++;
        }
        telemetry.OnlineUsers(await store.OnlineUsersAsync(cancellationToken));
        return expired;
    }

    private void Done(PresenceUpdate update, bool expired)
    {
        foreach (var transition in update.Transitions)
        {
            telemetry.Transition(transition.Joined);
        }
        foreach (var count in update.ConnectionCounts)
        {
            telemetry.ConnectionsPerUser(count);
        }
        if (update.SincePreviousReport is { } lag)
        {
            telemetry.HeartbeatLag(lag);
        }
        if (expired)
        {
            telemetry.ReplicaExpired(update.Transitions.Count);
        }
        events.Add(update.Transitions);
    }
}
