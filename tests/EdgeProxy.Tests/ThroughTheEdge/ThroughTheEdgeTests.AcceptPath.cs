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
        // How many idle pooled connections the edge holds depends on the tests before this one (4 of 12 sockets of one
        // burst took the fast path in the first run, 2026-12-02; none of 12 in a CI run the same day): bursts are held
        // open, so each needs connections the pool no longer has, until one arrives on a new connection.
        const int clients = 12;
        const int maxBursts = 6;
        var before = await AcceptedByConnectionMiddlewareAsync();
        async Task<bool> SomeTookTheFastPath() => await AcceptedByConnectionMiddlewareAsync() > before;
        var sockets = new List<RealtimeSocket>();
        try
        {
            for (var burst = 0; burst < maxBursts; burst++)
            {
                var tokens = await Edge.DevTokensAsync($"accept-{_run}-{burst}", clients);
                var opened = await Task.WhenAll(tokens.Select(token => Edge.ConnectWebSocketAsync(token)));
                sockets.AddRange(opened);
                Assert.All(opened, s => Assert.Equal(s.ResponseKey, s.WelcomeAffinity));
                foreach (var socket in opened)
                {
                    await socket.Socket.SendAsync("{\"type\":\"ping\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(EdgeClient.CallTimeout);
                    Assert.Equal("pong", (await socket.ReceiveAsync(EdgeClient.CallTimeout)).GetProperty("type").GetString());
                }
                if (await SomeTookTheFastPath())
                {
                    break;
                }
            }
            await EventuallyAsync(SomeTookTheFastPath, TimeSpan.FromSeconds(15),
                $"WebSockets through the edge counted as accepted by the replicas' connection middleware ({sockets.Count} held open)");
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
