using System.Net;
using RealtimeAspire.ConnectionService.Tests.Clients;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

[Collection(nameof(ClusterCollection))]
public sealed class DrainTests(ClusterTopology cluster)
{
    [Fact]
    public async Task DrainingReplicaTellsEveryClientToReconnectClosesTheRestAndLosesNoAcknowledgedMessage()
    {
        const int clients = 200;
        var channel = $"chat:drain-{Guid.NewGuid():N}";
        var draining = cluster.Replica(1);
        var sockets = new List<RealtimeSocket>();
        var acked = new List<long>();
        try
        {
            for (var i = 0; i < clients; i++)
            {
                var socket = await RealtimeSocket.ConnectAsync(draining, await Tokens.ForAsync(draining, $"drain-{i % 40}"));
                sockets.Add(socket);
                if (i % 10 == 0)
                {
                    acked.Add((await socket.PublishAsync(channel, new { i })).GetProperty("seq").GetInt64());
                }
            }

            using var admin = new HttpClient { BaseAddress = draining };
            Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync("/admin/drain", null)).StatusCode);

            var reconnects = await Task.WhenAll(sockets.Select(s => s.NextAsync(f => f.GetProperty("type").GetString() == "reconnect")));
            Assert.All(reconnects, r =>
            {
                Assert.Equal("drain", r.GetProperty("reason").GetString());
                Assert.InRange(r.GetProperty("afterMs").GetInt32(), 0, 3000);
            });
            Assert.True(reconnects.Select(r => r.GetProperty("afterMs").GetInt32()).Distinct().Count() > clients / 4, "reconnect delays are spread over the window");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await admin.GetAsync("/health")).StatusCode);
            var refused = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(
                async () => await RealtimeSocket.ConnectAsync(draining, await Tokens.ForAsync(draining, "latecomer")));
            Assert.Contains("503", refused.Message, StringComparison.Ordinal);
            // Every transport's refusal is the same ProblemDetails as the other refusals: its code as title and type.
            using (var sse = await admin.GetAsync($"/connect/sse?channels=chat:a&access_token={await Tokens.ForAsync(draining, "latecomer")}", HttpCompletionOption.ResponseHeadersRead))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, sse.StatusCode);
                Assert.Equal("1", sse.Headers.RetryAfter?.ToString());
                using var problem = System.Text.Json.JsonDocument.Parse(await sse.Content.ReadAsStringAsync());
                Assert.Equal("draining", problem.RootElement.GetProperty("title").GetString());
                Assert.Equal("https://realtime-aspire.dev/errors/draining", problem.RootElement.GetProperty("type").GetString());
            }

            // Clients that ignore the hint are closed at the end of the 3 s window.
            using var closed = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var closes = await Task.WhenAll(sockets.Select(s => s.Closed.WaitAsync(closed.Token)));
            Assert.All(closes, c => Assert.Equal(WebSocketCloseStatusDrain, (int?)c.Status));

            var token = await Tokens.ForAsync(cluster.Replica(0), "drain-checker");
            await using var checker = await RealtimeSocket.ConnectAsync(cluster.Replica(0), token);
            await checker.SubscribeAsync(channel, since: 0);
            var history = await checker.MessagesAsync(channel, acked.Count);
            Assert.Equal(acked.Order(), history.Select(m => m.GetProperty("seq").GetInt64()));
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
            // Bring the replica back for the other tests of the collection.
            var drained = cluster.Topology.Instance("connection-service-1");
            var drainedPid = drained.ProcessId;
            await drained.RestartAsync();
            await cluster.Topology.WaitAsync(() => drained.IsHealthy && drained.ProcessId is { } pid && pid != drainedPid,
                TimeSpan.FromSeconds(60), "connection-service-1 back after drain", "connection-service-1");
        }
    }

    [Fact]
    public async Task SigtermDrainsBeforeTheReplicaStops()
    {
        var replica = cluster.Topology.Instance("connection-service-2");
        var pidBefore = replica.ProcessId;
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(2), await Tokens.ForAsync(cluster.Replica(2), "sigterm"));

        // Aspire's restart command stops the process with SIGTERM, then starts it again.
        var restarting = replica.RestartAsync();

        var reconnect = await socket.NextAsync(f => f.GetProperty("type").GetString() == "reconnect");
        Assert.Equal("drain", reconnect.GetProperty("reason").GetString());
        var (status, _) = await socket.Closed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(WebSocketCloseStatusDrain, (int?)status);
        await restarting;
        await cluster.Topology.WaitAsync(() => replica.IsHealthy && replica.ProcessId is { } pid && pid != pidBefore,
            TimeSpan.FromSeconds(60), "connection-service-2 back after SIGTERM", "connection-service-2");
    }

    private const int WebSocketCloseStatusDrain = 1001;
}
