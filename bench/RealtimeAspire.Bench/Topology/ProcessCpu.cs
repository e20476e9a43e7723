using System.Globalization;

namespace RealtimeAspire.Bench.Topology;

/// <summary>
/// CPU time used by processes so far (user + system, from <c>/proc/{pid}/stat</c>), and a process's children (nginx's
/// workers under its master).
/// </summary>
internal static class ProcessCpu
{
    // USER_HZ: the unit of utime/stime in /proc/{pid}/stat; 100 on every Linux the tool runs on.
    private const double TicksPerSecond = 100;

    public static double Seconds(IEnumerable<int> pids) => pids.Sum(Seconds);

    public static double Seconds(int pid)
    {
        var fields = AfterCommand(File.ReadAllText($"/proc/{pid}/stat"));
        // Fields after "(comm)": state is the 3rd field of the line, utime the 14th, stime the 15th.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>The process and its direct children.</summary>
    public static IReadOnlyList<int> WithChildren(int pid) =>
    [
        pid,
        .. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var child) ? child : 0)
            .Where(child => child > 0 && ParentOf(child) == pid),
    ];

    private static int ParentOf(int pid)
    {
        try
        {
            return int.Parse(AfterCommand(File.ReadAllText($"/proc/{pid}/stat"))[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    private static string[] AfterCommand(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
}
