using RealtimeAspire.Hosting.Orchestration;

namespace RealtimeAspire.Hosting.Resources;

/// <summary>A resource the orchestrator runs as local processes, one per replica.</summary>
public interface IProcessResource
{
    /// <summary>True when configuration points at an existing server: nothing is started, only probed.</summary>
    bool IsExternal { get; }

    /// <summary>Work before each start (initialise a data folder, restore a tool).</summary>
    Task PrepareAsync(ResourceInstance instance, CancellationToken cancellationToken);

    ProcessSpec CreateProcessSpec(ResourceInstance instance);

    /// <summary>One probe of whether the instance serves; false or an exception means not (yet).</summary>
    Task<bool> ProbeAsync(ResourceInstance instance, CancellationToken cancellationToken);

    /// <summary>Runs once after the first successful probe of a start, before the instance counts as healthy.</summary>
    Task OnReadyAsync(ResourceInstance instance, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A line of the process's output; lets a resource learn what it only prints (a broker's address).</summary>
    void OnOutput(ResourceInstance instance, string line) { }
}
