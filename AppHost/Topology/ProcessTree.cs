using System.Globalization;

namespace RealtimeAspire.AppHost.Topology;

/// <summary>
/// Linux process relations from /proc. A project resource runs as <c>dotnet run</c> whose child is the service, so the
/// process that serves (and that a crash test kills) is a descendant of the pid Aspire reports.
/// </summary>
public static class ProcessTree
{
    /// <summary>The pid and every descendant, parents first.</summary>
    public static IReadOnlyList<int> SelfAndDescendants(int pid)
    {
        var result = new List<int> { pid };
        for (var i = 0; i < result.Count; i++)
        {
            result.AddRange(Children(result[i]));
        }
        return result;
    }

    /// <summary>The threads of a process: Linux priorities are per thread.</summary>
    public static IReadOnlyList<int> Threads(int pid) =>
        Directory.Exists($"/proc/{pid}/task")
            ? [.. Directory.GetDirectories($"/proc/{pid}/task").Select(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))]
            : [];

    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var thread in Threads(pid))
        {
            try
            {
                children.AddRange(File.ReadAllText($"/proc/{pid}/task/{thread}/children")
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(c => int.Parse(c, CultureInfo.InvariantCulture)));
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }
        return children;
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }
}
