using System.Diagnostics;
using RealtimeAspire.AppHost.LocalInfrastructure;

namespace RealtimeAspire.Deployment.Tests;

/// <summary>
/// The base image of the services' container images as an OCI layout: <c>REALTIME_BASE_IMAGE_LAYOUT</c> when set, else
/// built once by tools/container-base/build-base-image.sh into <c>.data/container-base/{runtime}</c> (git-ignored) and
/// reused while the machine's ASP.NET Core runtime stays the same.
/// </summary>
public static class BaseImageLayout
{
    public const string LayoutVariable = "REALTIME_BASE_IMAGE_LAYOUT";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    public static async Task<string> GetOrBuildAsync()
    {
        if (Environment.GetEnvironmentVariable(LayoutVariable) is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "index.json"))
                ? configured
                : throw new InvalidOperationException($"{LayoutVariable}={configured} holds no OCI layout (index.json).");
        }
        var layout = Path.Combine(LocalInfrastructureOptions.RepositoryRoot, ".data", "container-base", Environment.Version.ToString());
        if (File.Exists(Path.Combine(layout, "index.json")))
        {
            return layout;
        }
        var building = layout + ".building";
        if (Directory.Exists(building))
        {
            Directory.Delete(building, recursive: true);
        }
        var script = Path.Combine(LocalInfrastructureOptions.RepositoryRoot, "tools", "container-base", "build-base-image.sh");
        var (exitCode, output) = await ProcessRun.RunAsync("bash", [script, building], BuildTimeout);
        Assert.True(exitCode == 0, $"{script} failed ({exitCode}); it needs mmdebstrap and root (tests/run installs it):\n{output}");
        Directory.Move(building, layout);
        return layout;
    }
}
