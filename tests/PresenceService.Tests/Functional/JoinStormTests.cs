using System.Diagnostics;
using RealtimeAspire.ConnectionService.Tests.Clients;
using Xunit.Abstractions;
using static RealtimeAspire.PresenceService.Tests.Functional.PresenceFrames;

namespace RealtimeAspire.PresenceService.Tests.Functional;

[Collection(nameof(PresenceCluster))]
public sealed class JoinStormTests(ClusterPresenceTopology cluster, ITestOutputHelper output)
{
    private const int Users = 2000;
    private const int Concurrency = 100;

    [Fact]
    public async Task TwoThousandJoinsBecomeFewBatchedFramesAndTheApiStaysResponsiveMeanwhile()
    {
        var channel = $"chat:storm-{Guid.NewGuid():N}";
        var watcher = $"watcher-{Guid.NewGuid():N}";
        var watcherToken = PresenceTopology.Token(watcher);
        await using var observer = await RealtimeSocket.ConnectAsync(cluster.Replica(0), watcherToken);
        await observer.SubscribeAsync(channel);
        await observer.NextAsync(f => Joins(f, channel, watcher));
        using var api = new PresenceApiClient(cluster.Presence, watcherToken);
        for (var i = 0; i < 20; i++)
        {
            await api.ChannelAsync(channel, countOnly: i % 2 == 0, limit: 100);
        }

        var users = Enumerable.Range(0, Users).Select(i => $"storm-{i}-{Guid.NewGuid():N}").ToArray();
        var tokens = users.Select(u => PresenceTopology.Token(u)).ToArray();
        // The same requests with no storm first: what this machine gives at the moment, for comparison.
        var quiet = await SampleAsync(channel, watcherToken, stop: latencies => latencies.Count >= 200).WaitAsync(TimeSpan.FromMinutes(2));
        const string route = "/api/channels/{channel}/presence";
        var before = await ServerDurations.ReadAsync(cluster.Presence, route);
        using var stormOver = new CancellationTokenSource();
        var sampling = SampleAsync(channel, watcherToken, stop: _ => stormOver.IsCancellationRequested);

        var members = new StormMember[Users];
        var storm = Stopwatch.StartNew();
        using var joining = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var gate = new SemaphoreSlim(Concurrency);
        await Task.WhenAll(Enumerable.Range(0, Users).Select(async i =>
        {
            await gate.WaitAsync(joining.Token);
            try
            {
                members[i] = await StormMember.JoinAsync(cluster.Replica(i % cluster.Replicas), tokens[i], channel, joining.Token);
            }
            finally
            {
                gate.Release();
            }
        }));
        var joinedIn = storm.Elapsed;
        try
        {
            var announced = new HashSet<string>(StringComparer.Ordinal);
            var frames = 0;
            while (announced.Count < Users)
            {
                var frame = await observer.NextAsync(f => IsPresence(f, channel), TimeSpan.FromSeconds(30));
                frames++;
                announced.UnionWith(Joined(frame).Where(u => u != watcher));
            }
            var announcedIn = storm.Elapsed;
            await api.WaitForChannelAsync(channel, p => p.GetProperty("count").GetInt64() == Users + 1, TimeSpan.FromSeconds(30));
            await stormOver.CancelAsync();
            var latencies = await sampling.WaitAsync(TimeSpan.FromSeconds(60));

            var server = (await ServerDurations.ReadAsync(cluster.Presence, route)).Since(before);
            latencies.Sort();
            quiet.Sort();
            var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
            output.WriteLine($"{Users} users joined in {joinedIn.TotalMilliseconds:0} ms; all announced after {announcedIn.TotalMilliseconds:0} ms in {frames} presence frames");
            output.WriteLine($"presence API during the storm: {latencies.Count} requests, p50 {latencies[latencies.Count / 2]:0.0} ms, p99 {p99:0.0} ms, max {latencies[^1]:0.0} ms");
            output.WriteLine($"the same requests before the storm: p50 {quiet[quiet.Count / 2]:0.0} ms, p99 {quiet[(int)Math.Ceiling(quiet.Count * 0.99) - 1]:0.0} ms");
            output.WriteLine($"as the service measured them: {server.ShareWithin(0.05):P1} of {server.Count} answered within 50 ms, {server.ShareWithin(0.025):P1} within 25 ms");
            Assert.True(frames * 20 <= Users, $"{frames} presence frames for {Users} joins");
            Assert.True(server.Count >= latencies.Count / 2, $"the service counted {server.Count} of {latencies.Count} requests");
            // Latency is a benchmark's matter, not a test's: on the shared 2-core machine the storm (this process's 2,000
            // sockets, three replicas, Redis) competes with everything else for the CPU, so the figures are reported
            // above (docs/presence.md has them, against a 50 ms target) and only what does not depend on load is asserted:
            // the API keeps answering (every sampled request succeeded) and the median stays interactive.
            Assert.True(latencies[latencies.Count / 2] < 250, $"presence API median {latencies[latencies.Count / 2]:0.0} ms (stopwatch) during the storm");
        }
        finally
        {
            await stormOver.CancelAsync();
            await Task.WhenAll(members.Where(m => m is not null).Select(m => m.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// Asks the presence API (count and first page, alternately) from a thread of its own with blocking calls, so that
    /// what is measured is the service, not this process's thread pool busy with thousands of sockets.
    /// </summary>
    private Task<List<double>> SampleAsync(string channel, string token, Func<List<double>, bool> stop)
    {
        var done = new TaskCompletionSource<List<double>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var latencies = new List<double>();
                using var http = new HttpClient { BaseAddress = cluster.Presence, Timeout = TimeSpan.FromSeconds(30) };
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                var giveUp = DateTime.UtcNow + TimeSpan.FromMinutes(3);
                while (!stop(latencies) && DateTime.UtcNow < giveUp)
                {
                    var path = $"/api/channels/{channel}/presence?countOnly={(latencies.Count % 2 == 0 ? "true" : "false")}&limit=100";
                    var watch = Stopwatch.StartNew();
                    using (var response = http.Send(new HttpRequestMessage(HttpMethod.Get, path)))
                    {
                        response.EnsureSuccessStatusCode();
                        response.Content.ReadAsStream().CopyTo(Stream.Null);
                    }
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                    Thread.Sleep(5);
                }
                done.SetResult(latencies);
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }) { IsBackground = true, Name = "presence API sampler" };
        thread.Start();
        return done.Task;
    }
}
