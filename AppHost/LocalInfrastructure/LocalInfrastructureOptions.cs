using System.Reflection;

namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>Where local infrastructure keeps its data and finds its programs (<c>Realtime:*</c> in the AppHost's configuration).</summary>
public sealed class LocalInfrastructureOptions
{
    public const string SectionName = "Realtime";

    /// <summary>PostgreSQL data and generated secrets; default <c>.data</c> at the repository root (git-ignored).</summary>
    public string? DataPath { get; set; }

    /// <summary>Replaces PATH when looking for <c>redis-server</c>, <c>initdb</c> and <c>postgres</c> (tests hide redis-server with it).</summary>
    public string? ToolSearchPath { get; set; }

    public string ResolvedDataPath => Path.GetFullPath(DataPath ?? Path.Combine(RepositoryRoot, ".data"));

    public IReadOnlyList<string>? ToolSearchDirectories => ToolSearchPath?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The repository the AppHost was built from (its tool manifest restores Garnet).</summary>
    public static string RepositoryRoot { get; } = Metadata("RealtimeAspire.RepositoryRoot");

    /// <summary>The configuration the AppHost was built in: the services' outputs sit beside it.</summary>
    public static string BuildConfiguration { get; } = Metadata("RealtimeAspire.BuildConfiguration");

    private static string Metadata(string key) =>
        typeof(LocalInfrastructureOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static LocalInfrastructureOptions From(IDistributedApplicationBuilder builder) =>
        builder.Configuration.GetSection(SectionName).Get<LocalInfrastructureOptions>() ?? new();
}
