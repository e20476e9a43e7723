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
    private const int ProbeRate = 100;

    [Fact]
    public async Task TwoThousandJoinsBecomeFewBatchedFramesThenSummariesAndTheApiStaysResponsiveMeanwhile()
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
        IReadOnlyList<ProbeAnswer> quiet;
        using (var quietProbe = ApiProbe.Start(cluster.Presence, watcherToken, PresencePaths(channel, 200), ProbeRate))
        {
            quiet = await quietProbe.CompletedAsync(TimeSpan.FromMinutes(1));
        }
        const string route = "/api/channels/{channel}/presence";
        var before = await ServerDurations.ReadAsync(cluster.Presence, route);
        using var probe = ApiProbe.Start(cluster.Presence, watcherToken, PresencePaths(channel, ProbeRate * 180), ProbeRate);

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
            // Named while the channel is small, then summaries (Presence:SummaryAboveMembers, default 500): every join is
            // counted exactly once either way, and the last frame's count is everyone.
            var announced = new HashSet<string>(StringComparer.Ordinal);
            long summarised = 0, bytes = 0, summaryBytes = 0, count = 0;
            var frames = 0;
            var summaries = 0;
            while (count < Users + 1)
            {
                var frame = await observer.NextAsync(f => IsPresence(f, channel), TimeSpan.FromSeconds(30));
                frames++;
                var size = frame.GetRawText().Length;
                bytes += size;
                count = frame.GetProperty("count").GetInt64();
                announced.UnionWith(Joined(frame).Where(u => u != watcher));
                if (frame.TryGetProperty("summary", out var summary))
                {
                    summaries++;
                    summaryBytes += size;
                    summarised += summary.GetProperty("joined").GetInt64();
                }
            }
            var announcedIn = storm.Elapsed;
            await api.WaitForChannelAsync(channel, p => p.GetProperty("count").GetInt64() == Users + 1, TimeSpan.FromSeconds(30));
            var answers = await probe.StopAsync();

            var server = (await ServerDurations.ReadAsync(cluster.Presence, route)).Since(before);
            var p99 = Percentile(answers, 0.99);
            output.WriteLine($"{Users} users joined in {joinedIn.TotalMilliseconds:0} ms; all announced after {announcedIn.TotalMilliseconds:0} ms in {frames} presence frames " +
                $"({announced.Count} named, {summarised} in {summaries} summaries); one subscriber received {bytes} bytes of presence, {bytes / (double)Users:0.0} per join " +
                $"(summaries: {(summaries == 0 ? 0 : summaryBytes / summaries)} bytes each)");
            output.WriteLine($"presence API during the storm (curl, {ProbeRate}/s): {answers.Count} requests, p50 {Percentile(answers, 0.5):0.0} ms, p99 {p99:0.0} ms, max {Percentile(answers, 1):0.0} ms");
            output.WriteLine($"the same requests before the storm: p50 {Percentile(quiet, 0.5):0.0} ms, p99 {Percentile(quiet, 0.99):0.0} ms");
            output.WriteLine($"as the service measured them: {server.ShareWithin(0.05):P1} of {server.Count} answered within 50 ms, {server.ShareWithin(0.025):P1} within 25 ms");
            Assert.All(answers, a => Assert.Equal(200, a.Status));
            // A blocked request path answers a handful, not a quarter of what the probe asked for over the storm (a fixed
            // count would fail a storm that merely got faster: 99 answers in 1.5 s once).
            var expected = Math.Max(10, (int)(ProbeRate * announcedIn.TotalSeconds / 4));
            Assert.True(answers.Count >= expected, $"only {answers.Count} presence API answers during the {announcedIn.TotalSeconds:0.0} s storm (at least {expected} expected)");
            Assert.True(frames * 20 <= Users, $"{frames} presence frames for {Users} joins");
            Assert.Equal(Users, announced.Count + summarised);
            Assert.True(summaries > 0 && announced.Count <= 500, $"{announced.Count} named, {summaries} summaries: a channel of {Users} should be summarised above 500");
            // Responsive, not fast: a storm that blocked the request path (a lock, per-join work on the read side) costs seconds.
            // The 50 ms target is a performance figure (printed above); on two cores shared with this test's 2,000 sockets it
            // swings with the scheduler (CI: curl p99 115 ms while the service timed 100 % within 50 ms), so it is not asserted.
            Assert.True(server.Count >= answers.Count, $"the service timed {server.Count} presence requests, the probe got {answers.Count} answers");
            Assert.True(server.ShareWithin(0.25) >= 0.99,
                $"the service answered {server.ShareWithin(0.25):P1} of {server.Count} presence requests within 250 ms during the storm");
        }
        finally
        {
            await Task.WhenAll(members.Where(m => m is not null).Select(m => m.DisposeAsync().AsTask()));
        }
    }

    /// <summary>The count and the first page of members, alternately: what a channel's member list asks.</summary>
    private static IEnumerable<string> PresencePaths(string channel, int count) =>
        Enumerable.Range(0, count).Select(i => $"/api/channels/{channel}/presence?countOnly={(i % 2 == 0 ? "true" : "false")}&limit=100");

    private static double Percentile(IReadOnlyList<ProbeAnswer> answers, double share)
    {
        var sorted = answers.Select(a => a.Milliseconds).Order().ToArray();
        return sorted[Math.Max(0, (int)Math.Ceiling(sorted.Length * share) - 1)];
    }
}
