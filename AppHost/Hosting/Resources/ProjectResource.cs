using RealtimeAspire.Hosting.Orchestration;

namespace RealtimeAspire.Hosting.Resources;

/// <summary>A .NET service of this repository, run from its build output with <c>dotnet {Assembly}.dll</c>.</summary>
public sealed class ProjectResource(string name, IProjectMetadata project, string environmentName) : Resource(name), IProcessResource
{
    private static readonly HttpClient s_probeClient = new();

    public override string Kind => "Project";

    public string ProjectPath => project.ProjectPath;

    public string AssemblyPath => AssemblyPathOf(project);

    /// <summary>Where the build put a referenced project's assembly (the AppHost's configuration, net10.0).</summary>
    public static string AssemblyPathOf(IProjectMetadata project) =>
        Path.Combine(Path.GetDirectoryName(project.ProjectPath)!, "bin", BuildInfo.Configuration, "net10.0",
            Path.GetFileNameWithoutExtension(project.ProjectPath) + ".dll");

    /// <summary>One HTTP endpoint per replica: each replica is its own destination, so the edge can stick a client to one.</summary>
    public IReadOnlyList<Uri> Endpoints { get; internal set; } = [];

    /// <summary>A fixed public port (the edge); otherwise each replica gets a free one.</summary>
    public int? FixedPort { get; internal set; }

    public bool IsExternalEndpoint => FixedPort is not null;

    public bool IsExternal => false;

    internal void AllocateEndpoints() =>
        Endpoints = [.. Enumerable.Range(0, Replicas).Select(i =>
            new Uri(i == 0 && FixedPort is { } port
                ? $"http://localhost:{(port == 0 ? PortAllocator.GetFreePort() : port)}"
                : $"http://127.0.0.1:{PortAllocator.GetFreePort()}"))];

    public Task PrepareAsync(ResourceInstance instance, CancellationToken cancellationToken) =>
        File.Exists(AssemblyPath)
            ? Task.CompletedTask
            : throw new FileNotFoundException($"{AssemblyPath} is not built: build the AppHost (dotnet build AppHost), which builds every service.");

    public ProcessSpec CreateProcessSpec(ResourceInstance instance) => new("dotnet", [AssemblyPath])
    {
        WorkingDirectory = Path.GetDirectoryName(AssemblyPath),
        Environment = instance.Orchestrator.ProjectEnvironment(instance, environmentName),
    };

    public async Task<bool> ProbeAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        using var response = await s_probeClient.GetAsync(new Uri(instance.Endpoints[0], "/health"), cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
