using System.Globalization;
using System.Net.WebSockets;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

public sealed partial class ThroughTheEdgeTests
{
    /// <summary>
    /// The edge opens a connection to a replica for a WebSocket unless one of its pooled connections is idle, so a
    /// burst of connects beyond the idle pool arrives as new connections' first requests: the replica's connection middleware takes
    /// those (<c>realtime.connections.opened{accept.path="connection_middleware"}</c>), and they work through the edge,
    /// the edge's affinity key handed back in the welcome as on the HTTP path.
    /// </summary>
    [Fact]
    public async Task WebSocketsThroughTheEdgeAreAcceptedBelowTheReplicasHttpPipelineAndWork()
    {
        const int clients = 12;
        var before = await AcceptedByConnectionMiddlewareAsync();
        var tokens = await Edge.DevTokensAsync($"accept-{_run}", clients);
        var sockets = await Task.WhenAll(tokens.Select(token => Edge.ConnectWebSocketAsync(token)));
        try
        {
            Assert.All(sockets, s => Assert.Equal(s.ResponseKey, s.WelcomeAffinity));
            foreach (var socket in sockets)
            {
                await socket.Socket.SendAsync("{\"type\":\"ping\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(EdgeClient.CallTimeout);
                Assert.Equal("pong", (await socket.ReceiveAsync(EdgeClient.CallTimeout)).GetProperty("type").GetString());
            }
            // Only the sockets beyond the edge's idle pooled connections arrive on a new connection (4 of 12 in the
            // first run, 2026-12-02): the rest are upgrades after another request, which the HTTP pipeline accepts.
            await EventuallyAsync(async () => await AcceptedByConnectionMiddlewareAsync() > before, TimeSpan.FromSeconds(15),
                "WebSockets through the edge counted as accepted by the replicas' connection middleware");
        }
        finally
        {
            await Task.WhenAll(sockets.Select(s => s.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private async Task<long> AcceptedByConnectionMiddlewareAsync()
    {
        long total = 0;
        foreach (var replica in Replicas)
        {
            using var http = Topology.CreateHttpClient(replica);
            var metrics = await http.GetStringAsync("/metrics");
            total += metrics.Split('\n')
                .Where(l => l.StartsWith("realtime_connections_opened_total{", StringComparison.Ordinal)
                    && l.Contains("accept_path=\"connection_middleware\"", StringComparison.Ordinal))
                .Sum(l => (long)double.Parse(l.TrimEnd().Split(' ')[^1], CultureInfo.InvariantCulture));
        }
        return total;
    }
}
