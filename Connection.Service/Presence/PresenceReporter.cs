using Microsoft.Extensions.Options;

namespace RealtimeAspire.ConnectionService.Presence;

/// <summary>
/// Sends this replica's presence to Presence.Service, one report at a time and in order: changes in batches (the
/// first change waits <see cref="PresenceReportingOptions.FlushDelay"/> for company); an empty report when nothing
/// was sent for <see cref="PresenceReportingOptions.HeartbeatInterval"/> (every report renews the replica's lease);
/// and the whole membership every <see cref="PresenceReportingOptions.RefreshInterval"/>, which repairs any report
/// that was lost. The first report after start is a refresh, which also clears what a previous
/// process of this replica left behind. A failed report is followed by a refresh (with backoff) instead of a retry
/// of its changes. At shutdown (after the drain) the replica releases its membership.
/// </summary>
public sealed class PresenceReporter(
    PresenceTracker tracker,
    PresenceReportClient client,
    IOptions<PresenceReportingOptions> options,
    TimeProvider time,
    ILogger<PresenceReporter> logger) : BackgroundService
{
    /// <summary>How often long-poll graces are checked while nothing else happens.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    // One wait for changes outlives the ticks: cancelling a wait every tick threw four exceptions a second per replica.
    private Task<bool>? _changesArrived;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var nextRefresh = time.GetUtcNow();
        var nextHeartbeat = nextRefresh + settings.HeartbeatInterval;
        var failures = 0;
        var batch = new List<PresenceOp>(settings.MaxBatch);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                tracker.EndExpiredGraces();
                if (failures > 0 || tracker.Overflowed || time.GetUtcNow() >= nextRefresh)
                {
                    if (tracker.Overflowed)
                    {
                        logger.Overflowed();
                    }
                    if (await TryAsync(() => client.RefreshAsync(tracker.TakeSnapshot(), stoppingToken), failures + 1, stoppingToken))
                    {
                        failures = 0;
                        nextRefresh = time.GetUtcNow() + settings.RefreshInterval;
                        nextHeartbeat = time.GetUtcNow() + settings.HeartbeatInterval;
                    }
                    else
                    {
                        failures++;
                        await Task.Delay(Backoff(failures), time, stoppingToken);
                        continue;
                    }
                }

                var untilDue = (nextRefresh < nextHeartbeat ? nextRefresh : nextHeartbeat) - time.GetUtcNow();
                if (!await WaitForChangesAsync(untilDue < Tick ? untilDue : Tick, stoppingToken))
                {
                    if (time.GetUtcNow() >= nextHeartbeat)
                    {
                        if (!await TryAsync(() => client.SendChangesAsync([], stoppingToken), 1, stoppingToken))
                        {
                            failures = 1;
                        }
                        nextHeartbeat = time.GetUtcNow() + settings.HeartbeatInterval;
                    }
                    continue;
                }
                if (settings.FlushDelay > TimeSpan.Zero)
                {
                    await Task.Delay(settings.FlushDelay, time, stoppingToken);
                }
                tracker.EndExpiredGraces();
                while (batch.Count < settings.MaxBatch && tracker.Changes.TryRead(out var change))
                {
                    batch.Add(change);
                }
                if (batch.Count > 0)
                {
                    if (!await TryAsync(() => client.SendChangesAsync(batch, stoppingToken), 1, stoppingToken))
                    {
                        failures = 1;
                    }
                    nextHeartbeat = time.GetUtcNow() + settings.HeartbeatInterval;
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The drain is over: what is left of this replica's members leaves now, not when the lease lapses.
        using var timeout = new CancellationTokenSource(options.Value.ReleaseTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await client.ReleaseAsync(linked.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || timeout.IsCancellationRequested)
        {
            logger.ReleaseFailed(ex);
        }
    }

    private async Task<bool> WaitForChangesAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return tracker.Changes.TryPeek(out _);
        }
        _changesArrived ??= tracker.Changes.WaitToReadAsync(stoppingToken).AsTask();
        var tick = Task.Delay(wait, time, stoppingToken);
        if (await Task.WhenAny(_changesArrived, tick) != _changesArrived)
        {
            stoppingToken.ThrowIfCancellationRequested();
            return false;
        }
        var arrived = await _changesArrived;
        _changesArrived = null;
        return arrived;
    }

    private async Task<bool> TryAsync(Func<Task> report, int attempt, CancellationToken stoppingToken)
    {
        try
        {
            await report();
            return true;
        }
        // Whatever the HTTP pipeline throws (refused, timed out, circuit open): the next report repairs it.
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.ReportFailed(attempt, ex);
            return false;
        }
    }

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10))));
}
