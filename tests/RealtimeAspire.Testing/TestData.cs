namespace RealtimeAspire.Testing;

/// <summary>Fresh folders for test data, readable by the postgres user that PostgreSQL runs as under root.</summary>
public static class TestData
{
    public static string NewFolder(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "realtime-aspire-tests", $"{purpose}-{Guid.NewGuid():N}"[..(purpose.Length + 13)]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A process that has not quite let go of a file: the folder is under the temp path and harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
