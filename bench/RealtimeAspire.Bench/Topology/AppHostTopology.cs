using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RealtimeAspire.Bench.Topology;

/// <summary>What the benchmark needs from a running AppHost: replica endpoints and pids, Redis, secrets.</summary>
internal sealed partial class AppHostTopology(IReadOnlyList<ResourceRow> rows, string dataPath)
{
    public IReadOnlyList<ResourceRow> Rows { get; } = rows;

    public static async Task<AppHostTopology> LoadAsync(HttpClient http, Uri dashboard, string dataPath, CancellationToken cancellationToken)
    {
        var rows = await http.GetFromJsonAsync<ResourceRow[]>(new Uri(dashboard, "/api/resources"),
            new JsonSerializerOptions(JsonSerializerDefaults.Web), cancellationToken)
            ?? throw new InvalidOperationException($"{dashboard}api/resources returned nothing");
        return new AppHostTopology(rows, dataPath);
    }

    public IReadOnlyList<ResourceRow> Replicas => [.. Rows
        .Where(r => r.Resource == "connection-service" && r.Endpoints.Count > 0)
        .OrderBy(r => r.Name, StringComparer.Ordinal)];

    public ResourceRow Find(string name) => Rows.FirstOrDefault(r => r.Name == name)
        ?? throw new InvalidOperationException($"resource '{name}' not in the dashboard API");

    public static Uri EndpointOf(ResourceRow row) => new(row.Endpoints[0].TrimEnd('/') + "/");

    /// <summary>
    /// The AppHost's Redis: its port from the process command line (the dashboard lists no endpoint for it), its
    /// password from <c>secrets.json</c> in the AppHost's data folder.
    /// </summary>
    public string RedisConnectionString()
    {
        var redis = Find("redis");
        var commandLine = File.ReadAllText($"/proc/{redis.Pid}/cmdline").Replace('\0', ' ');
        var match = PortPattern().Match(commandLine);
        if (!match.Success)
        {
            throw new InvalidOperationException($"no port in the Redis command line '{commandLine}': pass --reference-redis");
        }
        var port = match.Groups["port"].Success ? match.Groups["port"].Value : match.Groups["colon"].Value;
        return $"127.0.0.1:{port},password={Secret("redis-password")}";
    }

    public string Secret(string key)
    {
        var path = Path.Combine(dataPath, "secrets.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.TryGetProperty(key, out var value) && value.GetString() is { } text
            ? text
            : throw new InvalidOperationException($"{path} has no '{key}': pass --data-path of the running AppHost");
    }

    [GeneratedRegex(@"--port (?<port>\d+)|:(?<colon>\d+)")]
    private static partial Regex PortPattern();
}
