namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

public sealed partial class ThroughTheEdgeTests
{
    [Fact]
    public async Task NinetyWebSocketsSpreadOverAllReplicasAndStickToTheirs()
    {
        const int clients = 90;
        var tokens = await Edge.DevTokensAsync($"ws-{_run}", clients);
        var sockets = new List<RealtimeSocket>();
        try
        {
            foreach (var token in tokens)
            {
                sockets.Add(await Edge.ConnectWebSocketAsync(token));
            }

            var perReplica = sockets.GroupBy(s => s.Replica).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(Replicas, perReplica.Keys.Order());
            Assert.All(perReplica, replica => Assert.True(replica.Value >= 20, $"{replica.Key} holds {replica.Value} of {clients}: {string.Join(", ", perReplica)}"));

            // The key the edge forwarded (X-Edge-Affinity → welcome.affinity) is the one the client was given.
            Assert.All(sockets, s =>
            {
                Assert.NotNull(s.ResponseKey);
                Assert.Equal(s.ResponseKey, s.WelcomeAffinity);
            });
            Assert.Equal(3, sockets.Select(s => s.ResponseKey).Distinct().Count());

            // Each client's further requests with its key land on its replica.
            for (var i = 0; i < clients; i++)
            {
                var info = await Edge.InfoAsync(tokens[i], sockets[i].ResponseKey);
                Assert.Equal(sockets[i].Replica, info.Replica);
            }
            for (var i = 0; i < clients; i += 6)
            {
                await using var second = await Edge.ConnectWebSocketAsync(tokens[i], sockets[i].ResponseKey);
                Assert.Equal(sockets[i].Replica, second.Replica);
                Assert.Equal(sockets[i].ResponseKey, second.WelcomeAffinity);
            }

            var metrics = await EdgeMetricsAsync();
            var edgeLines = string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("realtime_edge", StringComparison.Ordinal)));
            Assert.True(Counter(metrics, "realtime_edge_upgrades_total", "route=\"connect\"") >= clients, "upgrades counted:\n" + edgeLines);
            Assert.True(Counter(metrics, "realtime_edge_affinity_total", "result=\"hit\"") >= clients, "affinity hits counted:\n" + edgeLines);
            Assert.True(Counter(metrics, "realtime_edge_active_streams", "transport=\"websocket\"") >= clients, "active WebSockets gauged:\n" + edgeLines);
        }
        finally
        {
            await Task.WhenAll(sockets.Select(s => s.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
