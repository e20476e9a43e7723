using System.Reflection;

namespace RealtimeAspire.Hosting;

/// <summary>Facts the build stamped into the AppHost: where the repository is and which configuration was built.</summary>
internal static class BuildInfo
{
    public static string Configuration { get; } = Read("RealtimeAspire.BuildConfiguration");
    public static string RepositoryRoot { get; } = Read("RealtimeAspire.RepositoryRoot");

    private static string Read(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The AppHost assembly lacks the build metadata '{key}'.");
}
