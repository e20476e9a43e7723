
namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>Finds <c>initdb</c> and <c>postgres</c>: on the search path, else in Debian's versioned folders, newest first.</summary>
public static class PostgresBinaries
{
    public const string InstallHint =
        "PostgreSQL server binaries (initdb, postgres) were not found on PATH or in /usr/lib/postgresql/*/bin. " +
        "Install them (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql) " +
        "or point the AppHost at an existing server with ConnectionStrings:messages.";

    public static (string InitDb, string Postgres)? Find(IEnumerable<string>? searchPath)
    {
        var directories = (searchPath ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)).ToList();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            directories.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var version) ? version : 0)
                .Select(d => Path.Combine(d, "bin")));
        }
        var initdb = ExecutableLocator.Find("initdb", directories);
        var postgres = ExecutableLocator.Find("postgres", directories);
        return initdb is not null && postgres is not null ? (initdb, postgres) : null;
    }
}
