using System.Globalization;

namespace RealtimeAspire.ConnectionService.Tests.Clients;

/// <summary>A replica's <c>realtime.connections.opened</c> for WebSockets, by <c>accept.path</c>, read from its <c>/metrics</c>.</summary>
public static class AcceptPathCounts
{
    public const string ConnectionMiddleware = "connection_middleware";
    public const string HttpPipeline = "http_pipeline";

    public static async Task<long> WebSocketsAsync(Uri replica, string acceptPath)
    {
        using var http = new HttpClient { BaseAddress = replica, Timeout = TimeSpan.FromSeconds(10) };
        var metrics = await http.GetStringAsync("/metrics");
        return metrics.Split('\n')
            .Where(l => l.StartsWith("realtime_connections_opened_total{", StringComparison.Ordinal)
                && l.Contains($"accept_path=\"{acceptPath}\"", StringComparison.Ordinal)
                && l.Contains("transport=\"websocket\"", StringComparison.Ordinal))
            .Sum(l => (long)double.Parse(l.TrimEnd().Split(' ')[^1], CultureInfo.InvariantCulture));
    }
}
