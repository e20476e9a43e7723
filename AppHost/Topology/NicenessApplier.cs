using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RealtimeAspire.AppHost.Topology;

/// <summary>
/// Applies <see cref="ResourceNiceness"/> when a marked resource's process appears: every thread of the process and of
/// its descendants (threads created later inherit it from their creator), with <c>renice</c>.
/// </summary>
public sealed partial class NicenessApplier(ResourceNotificationService notifications, ILogger<NicenessApplier> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var applied = new Dictionary<string, int>();
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                if (change.Resource.Annotations.OfType<ResourceNiceness>().LastOrDefault() is not { } niceness
                    || change.Snapshot.State?.Text != KnownResourceStates.Running
                    || ResourceProcesses.LauncherPid(change.Snapshot) is not { } pid
                    || applied.GetValueOrDefault(change.ResourceId) == pid)
                {
                    continue;
                }
                applied[change.ResourceId] = pid;
                await ApplyAsync(change.Resource.Name, pid, niceness.Value, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ApplyAsync(string resource, int pid, int niceness, CancellationToken cancellationToken)
    {
        var threads = ProcessTree.SelfAndDescendants(pid).SelectMany(ProcessTree.Threads).ToList();
        if (threads.Count == 0)
        {
            return;
        }
        var info = new ProcessStartInfo("renice", ["-n", niceness.ToString(CultureInfo.InvariantCulture), "-p", .. threads.Select(t => t.ToString(CultureInfo.InvariantCulture))])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        try
        {
            using var renice = Process.Start(info)!;
            var error = await renice.StandardError.ReadToEndAsync(cancellationToken);
            await renice.WaitForExitAsync(cancellationToken);
            if (renice.ExitCode == 0)
            {
                Log.Applied(logger, resource, niceness, threads.Count);
            }
            else
            {
                Log.NotApplied(logger, resource, niceness, error.Trim());
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Log.NotApplied(logger, resource, niceness, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Resource} runs at niceness {Niceness} ({Threads} threads).")]
        public static partial void Applied(ILogger logger, string resource, int niceness, int threads);

        [LoggerMessage(2, LogLevel.Warning, "{Resource} keeps normal priority, niceness {Niceness} was refused: {Reason}")]
        public static partial void NotApplied(ILogger logger, string resource, int niceness, string reason);
    }
}
