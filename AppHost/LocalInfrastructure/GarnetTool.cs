using System.Diagnostics;
using System.Text.Json;

namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>
/// Garnet from the repository's dotnet tool manifest, run as <c>dotnet GarnetServer.dll</c> directly:
/// <c>dotnet tool run</c> would put a second process between the AppHost and the server, which then outlives a killed AppHost.
/// </summary>
public static class GarnetTool
{
    private const string PackageId = "garnet-server";
    private static readonly SemaphoreSlim s_restore = new(1, 1);

    public static async Task<string> LocateOrRestoreAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var version = ManifestVersion(repositoryRoot);
        if (Find(version) is { } found)
        {
            return found;
        }
        await s_restore.WaitAsync(cancellationToken);
        try
        {
            if (Find(version) is { } restoredMeanwhile)
            {
                return restoredMeanwhile;
            }
            using var restore = Process.Start(new ProcessStartInfo("dotnet", ["tool", "restore"])
            {
                WorkingDirectory = repositoryRoot,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = await restore.StandardOutput.ReadToEndAsync(cancellationToken) + await restore.StandardError.ReadToEndAsync(cancellationToken);
            await restore.WaitForExitAsync(cancellationToken);
            return Find(version) ?? throw new InvalidOperationException($"'dotnet tool restore' did not provide {PackageId} {version}: {output}");
        }
        finally
        {
            s_restore.Release();
        }
    }

    private static string ManifestVersion(string repositoryRoot)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(repositoryRoot, ".config", "dotnet-tools.json")));
        return manifest.RootElement.GetProperty("tools").GetProperty(PackageId).GetProperty("version").GetString()
            ?? throw new InvalidOperationException($"The tool manifest names no version of {PackageId}.");
    }

    private static string? Find(string version)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var tools = Path.Combine(packages, PackageId, version, "tools");
        return Directory.Exists(tools)
            ? Directory.EnumerateFiles(tools, "GarnetServer.dll", SearchOption.AllDirectories).FirstOrDefault()
            : null;
    }
}
