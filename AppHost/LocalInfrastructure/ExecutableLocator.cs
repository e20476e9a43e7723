namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>Finds programs on a search path (PATH unless told otherwise, so tests can hide a program).</summary>
public static class ExecutableLocator
{
    public static string? Find(string name, IEnumerable<string>? searchPath = null)
    {
        searchPath ??= (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var directory in searchPath)
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
