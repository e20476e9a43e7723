using System.Diagnostics;
using System.Net;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

public sealed partial class ThroughTheEdgeTests
{
    private static readonly TimeSpan ReplicaRecoveryTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task KilledReplicaLeavesRotationWithinFiveSecondsItsClientsGetNewKeysAndItRejoinsWhenBack()
    {
        const string b = "connection-service-1";
        var tokens = await Edge.DevTokensAsync($"kill-{_run}", 8);
        var keyB = await KeyOfAsync(b);
        var onB = new List<RealtimeSocket>();
        foreach (var token in tokens)
        {
            onB.Add(await Edge.ConnectWebSocketAsync(token, keyB));
        }
        Assert.All(onB, s => Assert.Equal(b, s.Replica));

        var instance = Topology.Instance(b);
        var keptDown = Topology.RestartOnFailure!.Hold(b);
        try
        {
            // A crash, kept down (no automatic restart) so that what follows cannot race the replica's return.
            Topology.Kill(b);
            var killed = Stopwatch.StartNew();

            // Within 5 s the edge no longer even tries B: a batch of requests, with B's key and without a key,
            // all answered by A or C, and none of them needing a failover away from B.
            await EventuallyAsync(async () =>
            {
                var before = await FreshEdgeMetricsAsync(0);
                var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
                    Edge.InfoAsync(TestRequestsToken($"after-kill-{_run}-{i}"), i % 2 == 0 ? keyB : null)));
                var after = await FreshEdgeMetricsAsync(Counter(before, "realtime_edge_requests_total", "route=\"connect\"") + answers.Length);
                return answers.All(a => a.Status == HttpStatusCode.OK && a.Replica != b)
                    && Counter(after, "realtime_edge_connect_failovers_total", $"destination=\"{b}\"") == Counter(before, "realtime_edge_connect_failovers_total", $"destination=\"{b}\"");
            }, TimeSpan.FromSeconds(5) - killed.Elapsed, "the edge routing nothing to the killed replica");
            Assert.True(killed.Elapsed < TimeSpan.FromSeconds(5), $"took {killed.Elapsed.TotalSeconds:0.0} s");

            // Its clients come back with B's key, land on A or C and are given a new key that sticks.
            foreach (var token in tokens)
            {
                await using var again = await Edge.ConnectWebSocketAsync(token, keyB);
                Assert.NotEqual(b, again.Replica);
                Assert.NotNull(again.ResponseKey);
                Assert.NotEqual(keyB, again.ResponseKey);
                Assert.Equal(again.ResponseKey, again.WelcomeAffinity);
                Assert.Equal(again.Replica, (await Edge.InfoAsync(token, again.ResponseKey)).Replica);
            }
        }
        finally
        {
            await Task.WhenAll(onB.Select(s => s.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
            await Topology.WaitAsync(() => !instance.IsRunning, ReplicaRecoveryTimeout, $"{b} down", b);
            keptDown.Dispose();
            await instance.StartAsync();
            await Topology.WaitForResourceHealthyAsync(b, ReplicaRecoveryTimeout);
        }

        // Back: B receives new connections again, both fresh ones and those holding its (deterministic) key.
        await EventuallyAsync(async () => (await Edge.InfoAsync(TestRequestsToken($"back-{_run}"), keyB)).Replica == b,
            TimeSpan.FromSeconds(20), "B's key routing to B again");
        var fresh = await Edge.DevTokensAsync($"kill-fresh-{_run}", 30);
        var landedOnB = false;
        for (var i = 0; i < fresh.Length && !landedOnB; i++)
        {
            await using var socket = await Edge.ConnectWebSocketAsync(fresh[i]);
            landedOnB = socket.Replica == b;
        }
        Assert.True(landedOnB, "no new WebSocket landed on the returned replica");
    }

    [Fact]
    public async Task DrainingReplicaGetsNoNewConnectionFromTheMomentItIsUnreadyWhileItsOwnFinish()
    {
        const string c = "connection-service-2";
        var keyC = await KeyOfAsync(c);
        var tokens = await Edge.DevTokensAsync($"drain-{_run}", 40);
        await using var existing = await Edge.ConnectWebSocketAsync(tokens[0], keyC);
        Assert.Equal(c, existing.Replica);

        var instance = Topology.Instance(c);
        var pidBefore = instance.ProcessId;
        try
        {
            using (var direct = Topology.CreateHttpClient(c))
            {
                Assert.Equal(HttpStatusCode.Accepted, (await direct.PostAsync("/admin/drain", null)).StatusCode);
                // From this moment C is unready.
                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await direct.GetAsync("/health")).StatusCode);
            }

            // No new connection lands on C: not fresh ones, not even those holding C's key; none is refused either.
            var opened = new List<RealtimeSocket>();
            try
            {
                for (var i = 1; i < tokens.Length; i++)
                {
                    opened.Add(await Edge.ConnectWebSocketAsync(tokens[i], i % 4 == 0 ? keyC : null));
                }
                Assert.All(opened, s => Assert.NotEqual(c, s.Replica));
                Assert.All(opened.Where((_, i) => (i + 1) % 4 == 0), s => Assert.NotEqual(keyC, s.ResponseKey));
                Assert.Equal(2, opened.Select(s => s.Replica).Distinct().Count());
            }
            finally
            {
                await Task.WhenAll(opened.Select(s => s.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
            }

            // The existing connection is not cut by the edge: it is still open and hears C's drain notice.
            var frame = await existing.ReceiveAsync(TimeSpan.FromSeconds(15));
            while (frame.GetProperty("type").GetString() is "pong" or "presence")
            {
                frame = await existing.ReceiveAsync(TimeSpan.FromSeconds(15));
            }
            Assert.Equal("reconnect", frame.GetProperty("type").GetString());
        }
        finally
        {
            await instance.RestartAsync();
            await Topology.WaitAsync(() => instance.IsHealthy && instance.ProcessId is { } pid && pid != pidBefore,
                ReplicaRecoveryTimeout, $"{c} restarted and healthy", c);
        }
        await EventuallyAsync(async () => (await Edge.InfoAsync(TestRequestsToken($"undrained-{_run}"), keyC)).Replica == c,
            TimeSpan.FromSeconds(20), "C back in rotation after its restart");
    }
}
