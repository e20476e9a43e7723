using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RealtimeAspire.AppHost.Topology;

/// <summary>
/// Ours, not Aspire's (Aspire never restarts an exited resource): a local run's answer to a crashed process, like
/// Docker's <c>on-failure</c> policy. A marked resource whose process fails (a crash, a kill -9: any exit code but
/// 0 and SIGTERM's 143) is started again after <see cref="RestartBackoff"/>; one that was stopped — the dashboard's or
/// a test's stop command sends SIGTERM, and the service exits 0 after its graceful shutdown, or 143 when the signal
/// finds it still starting — stays stopped.
/// </summary>
public sealed partial class RestartOnFailure(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    ILogger<RestartOnFailure> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Restarts> _restarts = new();

    public RestartBackoff Backoff { get; init; } = RestartBackoff.Default;

    /// <summary>
    /// Keeps a failed resource down until the returned handle is disposed: for an operator or a test that wants to
    /// see the system without it, not race its return.
    /// </summary>
    public IDisposable Hold(string resourceName)
    {
        var restarts = _restarts.GetOrAdd(resourceName, _ => new Restarts());
        Interlocked.Increment(ref restarts.Holds);
        return new Release(() => Interlocked.Decrement(ref restarts.Holds));
    }

    /// <summary>How often the resource named <paramref name="resourceName"/> was restarted after a failure.</summary>
    public int RestartsOf(string resourceName) => _restarts.TryGetValue(resourceName, out var restarts) ? restarts.Count : 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var states = new Dictionary<string, string?>();
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                if (!change.Resource.Annotations.OfType<RestartOnFailureAnnotation>().Any())
                {
                    continue;
                }
                var state = change.Snapshot.State?.Text;
                states.TryGetValue(change.ResourceId, out var previous);
                states[change.ResourceId] = state;
                if (state == previous || lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    continue;
                }
                var restarts = _restarts.GetOrAdd(change.Resource.Name, _ => new Restarts());
                if (state == KnownResourceStates.Running)
                {
                    restarts.RunningSince = DateTime.UtcNow;
                }
                else if (IsFailure(state, change.Snapshot.ExitCode) && Volatile.Read(ref restarts.Holds) == 0)
                {
                    _ = RestartAsync(change.Resource.Name, change.ResourceId, change.Snapshot.ExitCode, restarts, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private const int ExitCodeOfSigterm = 128 + 15;

    private static bool IsFailure(string? state, int? exitCode) =>
        state == KnownResourceStates.FailedToStart
        || (KnownResourceStates.TerminalStates.Contains(state) && exitCode is not null and not 0 and not ExitCodeOfSigterm);

    private async Task RestartAsync(string name, string resourceId, int? exitCode, Restarts restarts, CancellationToken cancellationToken)
    {
        var attempt = DateTime.UtcNow - restarts.RunningSince > Backoff.StableAfter ? 0 : restarts.InARow;
        restarts.InARow = attempt + 1;
        var delay = Backoff.Delay(attempt);
        Log.Restarting(logger, name, exitCode, delay.TotalMilliseconds, attempt + 1);
        try
        {
            await Task.Delay(delay, cancellationToken);
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, cancellationToken);
            if (result.Success)
            {
                Interlocked.Increment(ref restarts.Count);
            }
            else
            {
                Log.RestartFailed(logger, name, result.Message);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.RestartFailed(logger, name, ex.Message);
        }
    }

    private sealed class Restarts
    {
        public int Count;
        public int InARow;
        public int Holds;
        public DateTime RunningSince = DateTime.MinValue;
    }

    private sealed class Release(Action release) : IDisposable
    {
        private Action? _release = release;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Resource} failed (exit code {ExitCode}); restarting in {DelayMs} ms (attempt {Attempt} in a row).")]
        public static partial void Restarting(ILogger logger, string resource, int? exitCode, double delayMs, int attempt);

        [LoggerMessage(2, LogLevel.Error, "{Resource} could not be restarted: {Reason}")]
        public static partial void RestartFailed(ILogger logger, string resource, string? reason);
    }
}
