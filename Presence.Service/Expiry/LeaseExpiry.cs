using Microsoft.Extensions.Options;
using RealtimeAspire.PresenceService.Configuration;
using RealtimeAspire.PresenceService.Diagnostics;
using RealtimeAspire.PresenceService.Reports;

namespace RealtimeAspire.PresenceService.Expiry;

/// <summary>
/// Looks for replicas whose lease lapsed (a replica that died, or lost its way to this service) every
/// <see cref="PresenceOptions.ExpiryScanInterval"/> and expires them: their members leave. Several instances
/// may scan at once; the expiry script lets exactly one of them report each leave. The first scan waits one
/// <see cref="PresenceOptions.ReplicaTtl"/> after start: when this service was down, every lease has lapsed, and the
/// live replicas need that long to get their refreshes through before they could be taken for dead.
/// </summary>
public sealed class LeaseExpiry(PresenceReports reports, IOptions<PresenceOptions> options, TimeProvider time, ILogger<LeaseExpiry> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ExpiryScanInterval, time);
        try
        {
            await Task.Delay(options.Value.ReplicaTtl, time, stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await reports.ExpireLapsedAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
                {
                    logger.ExpiryFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
