using System.Globalization;

namespace RealtimeAspire.AppHost.Topology;

/// <summary>The processes behind a resource's snapshot: the one Aspire launched, and the one that serves.</summary>
public static class ResourceProcesses
{
    public const string PidProperty = "executable.pid";

    /// <summary>The pid Aspire reports (for a project, its <c>dotnet run</c>), or null while there is none.</summary>
    public static int? LauncherPid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, CultureInfo.InvariantCulture, out var pid) => pid,
            _ => null,
        };

    /// <summary>
    /// The process that serves (and that a crash test kills): a project runs as <c>dotnet run</c> with the service as
    /// its child; an executable is the launched process itself.
    /// </summary>
    public static int? ServingPid(IResource resource, CustomResourceSnapshot snapshot) =>
        LauncherPid(snapshot) is not { } pid ? null
        : resource is ProjectResource ? ProcessTree.Children(pid).Cast<int?>().FirstOrDefault()
        : pid;
}
