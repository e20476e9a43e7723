using System.Text.Json;
using Microsoft.Extensions.Hosting;

namespace RealtimeAspire.AppHost.Topology;

/// <summary>
/// Writes <c>{DataPath}/resources.json</c> whenever a resource changes: each resource's state, health, URLs, the pid
/// of the process that serves (a project's service, not its <c>dotnet run</c>) and the pid Aspire launched.
/// Tools outside the AppHost (the benchmark) read it to find the replicas and their processes; the dashboard's own
/// API has no resource state, and a file needs no credentials.
/// </summary>
public sealed class ResourceInventoryFile(ResourceNotificationService notifications, string path) : BackgroundService
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var resources = new SortedDictionary<string, InventoryEntry>(StringComparer.Ordinal);
        try
        {
            await foreach (var change in notifications.WatchAsync(stoppingToken))
            {
                var snapshot = change.Snapshot;
                if (snapshot.IsHidden)
                {
                    continue;
                }
                resources[change.Resource.Name] = new InventoryEntry(
                    change.Resource.Name,
                    snapshot.ResourceType,
                    snapshot.State?.Text,
                    snapshot.HealthStatus?.ToString(),
                    [.. snapshot.Urls.Where(u => !u.IsInternal).Select(u => u.Url)],
                    ResourceProcesses.ServingPid(change.Resource, snapshot),
                    ResourceProcesses.LauncherPid(snapshot));
                var temporary = path + ".tmp";
                await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(resources.Values, s_json), stoppingToken);
                File.Move(temporary, path, overwrite: true);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public sealed record InventoryEntry(string Name, string ResourceType, string? State, string? Health, string[] Urls, int? Pid, int? LauncherPid);
}
