namespace RealtimeAspire.Hosting.Orchestration;

/// <summary>How to start one process of a resource.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public IDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public string? WorkingDirectory { get; init; }

    /// <summary>Start as this operating-system user when the AppHost runs as root (PostgreSQL refuses root).</summary>
    public string? RunAsUser { get; init; }

    /// <summary>See <see cref="Resources.Resource.Niceness"/>; 0 starts the process as the AppHost's own.</summary>
    public int Niceness { get; init; }

    /// <summary>The signal for a graceful stop; SIGKILL follows after the stop timeout.</summary>
    public int StopSignal { get; init; } = Signals.Term;
}
