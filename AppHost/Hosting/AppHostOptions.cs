using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.Hosting;

/// <summary>The AppHost's own settings, section <c>AppHost</c>.</summary>
public sealed class AppHostOptions
{
    public const string SectionName = "AppHost";

    /// <summary>Where PostgreSQL data, generated secrets and logs live; git-ignored. Default: <c>.data</c> at the repository root.</summary>
    public string? DataPath { get; set; }

    /// <summary>The dashboard and its HTTP API. 0 picks a free port.</summary>
    [Range(0, 65535)] public int DashboardPort { get; set; } = 18888;

    /// <summary>
    /// Where services export OTLP (gRPC), handed to them as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Unset (the default),
    /// services export nothing over OTLP: no OTLP receiver runs here yet, and exporting into a closed port cost each
    /// replica about 30 exceptions a second. Metrics stay on every service's <c>/metrics</c>, logs on the console.
    /// </summary>
    [Url] public string? OtlpEndpoint { get; set; }

    /// <summary>Search path for infrastructure programs (redis-server, initdb, postgres) instead of PATH.</summary>
    public string? ToolSearchPath { get; set; }

    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan StartupProbeInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan MinRestartDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxRestartDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RestartBackoff(int failuresInARow) =>
        TimeSpan.FromTicks(Math.Min(MaxRestartDelay.Ticks, MinRestartDelay.Ticks << Math.Min(failuresInARow, 16)));

    public IEnumerable<string>? ToolSearchDirectories =>
        ToolSearchPath?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
}
