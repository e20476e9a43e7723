namespace RealtimeAspire.Hosting.Orchestration;

internal static partial class OrchestratorLog
{
    [LoggerMessage(1, LogLevel.Information, "{Resource,-22} {State} {Health} {Pid}")]
    private static partial void StateChangedCore(ILogger logger, string resource, ResourceState state, string health, string pid);

    public static void StateChanged(this ILogger logger, string resource, ResourceState state, HealthState health, int? pid) =>
        StateChangedCore(logger, resource, state, health == HealthState.Unknown ? "" : health.ToString().ToLowerInvariant(), pid is { } p ? $"(pid {p})" : "");

    [LoggerMessage(2, LogLevel.Warning, "{Resource} could not start: {Reason}")]
    public static partial void StartFailed(this ILogger logger, string resource, string reason);

    [LoggerMessage(3, LogLevel.Warning, "{Resource} exited with code {ExitCode}")]
    public static partial void Exited(this ILogger logger, string resource, int exitCode);

    [LoggerMessage(4, LogLevel.Information, "{Resource} restarts in {DelaySeconds:0.0} s")]
    public static partial void Restarting(this ILogger logger, string resource, double delaySeconds);

    [LoggerMessage(5, LogLevel.Warning, "{Resource} did not stop in time and was killed")]
    public static partial void KilledAfterStopTimeout(this ILogger logger, string resource);

    [LoggerMessage(6, LogLevel.Information, "All resources healthy. Edge: {Edge}  Dashboard: {Dashboard}")]
    public static partial void AllHealthy(this ILogger logger, string edge, string dashboard);

    [LoggerMessage(7, LogLevel.Information, "{Resource} restarts because {Dependency} now has another connection string")]
    public static partial void DependencyMoved(this ILogger logger, string resource, string dependency);
}
