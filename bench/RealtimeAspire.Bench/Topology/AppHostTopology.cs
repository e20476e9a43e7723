using System.Text.Json;
using System.Text.RegularExpressions;

namespace RealtimeAspire.Bench.Topology;

/// <summary>
/// What the benchmark needs from a running AppHost: replica endpoints and pids, Redis, secrets. It reads the
/// <c>resources.json</c> the AppHost keeps in its data folder (the Aspire dashboard's own API has no resource state).
/// </summary>
internal sealed partial class AppHostTopology(IReadOnlyList<ResourceRow> rows, string dataPath)
{
    public const string InventoryFile = "resources.json";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public IReadOnlyList<ResourceRow> Rows { get; } = rows;

    public static async Task<AppHostTopology> LoadAsync(string dataPath, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dataPath, InventoryFile);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} does not exist: start the AppHost (dotnet run --project AppHost) or pass --data-path of the running one");
        }
        var rows = JsonSerializer.Deserialize<ResourceRow[]>(await File.ReadAllTextAsync(path, cancellationToken), s_json)
            ?? throw new InvalidOperationException($"{path} is empty");
        return new AppHostTopology(rows, dataPath);
    }

    public IReadOnlyList<ResourceRow> Replicas => [.. Rows
        .Where(r => ReplicaName().IsMatch(r.Name) && r.Urls.Count > 0)
        .OrderBy(r => r.Name, StringComparer.Ordinal)];

    public ResourceRow Find(string name) => Rows.FirstOrDefault(r => r.Name == name)
        ?? throw new InvalidOperationException($"resource '{name}' not in {InventoryFile}");

    public static Uri EndpointOf(ResourceRow row) => new(row.Urls[0].TrimEnd('/') + "/");

    /// <summary>The AppHost's Redis: its port from its endpoint, its password from <c>secrets.json</c> in the data folder.</summary>
    public string RedisConnectionString()
    {
        var endpoint = new Uri(Find("redis").Urls.FirstOrDefault() ?? throw new InvalidOperationException("the redis resource has no endpoint: pass --reference-redis"));
        return $"127.0.0.1:{endpoint.Port},password={Secret("redis-password")}";
    }

    public string Secret(string key)
    {
        var path = Path.Combine(dataPath, "secrets.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.TryGetProperty(key, out var value) && value.GetString() is { } text
            ? text
            : throw new InvalidOperationException($"{path} has no '{key}': pass --data-path of the running AppHost");
    }

    [GeneratedRegex(@"^connection-service-\d+$")]
    private static partial Regex ReplicaName();
}
