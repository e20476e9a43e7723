using System.Text.Json;
using System.Text.Json.Serialization;

namespace RealtimeAspire.Bench.Reporting;

internal static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(BenchReport report) => JsonSerializer.Serialize(report, Json);

    public static async Task WriteAsync(BenchReport report, string path, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        await File.WriteAllTextAsync(path, Serialize(report), cancellationToken);
    }
}
