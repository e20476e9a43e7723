namespace RealtimeAspire.AppHost.Topology;

/// <summary>
/// How long a graceful stop may take in a local run. Aspire's stop command (the dashboard's, a test's, a restart's)
/// waits about 15 s for the process to exit — DCP is asked ten times, backing off from 200 ms to at most 3 s — and then
/// reports that the stop failed, leaving the resource in an unknown state. A Connection.Service replica's stop is its
/// drain window, then the close handshake of the connections still open (<c>Transports:CloseTimeout</c>, 5 s), then
/// the host's own shutdown; the drain window given to local replicas leaves room for the rest.
/// In production the bound is the platform's termination grace period instead (Container Apps: 30 s by default).
/// </summary>
public static class LocalStopBudget
{
    public static readonly TimeSpan AspireStopWait = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan DrainWindow = TimeSpan.FromSeconds(5);

    /// <summary>A local replica drains within <see cref="DrainWindow"/>; a deployment keeps the service's own default.</summary>
    public static IResourceBuilder<ProjectResource> WithLocalDrainWindow(this IResourceBuilder<ProjectResource> builder) =>
        builder.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? builder
            : builder.WithEnvironment("Drain__Window", DrainWindow.ToString());
}
