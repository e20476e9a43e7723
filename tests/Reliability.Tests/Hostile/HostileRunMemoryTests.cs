using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using RealtimeAspire.ConnectionService.Tests.Clients;
using RealtimeAspire.Testing;
using Xunit.Abstractions;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>
/// Rounds of every hostile client at once against the replica — subscribers that never read (WebSocket and SSE) under a
/// flood, half-open WebSockets, oversized frames, fuzzed frames — while a well-behaved client publishes and receives
/// through the edge. The replica's resident memory (VmRSS from /proc) is sampled before, during and after: a bounded
/// queue keeps it bounded, and once the hostile clients are gone every connection is released.
/// </summary>
[Collection(nameof(HostileCollection))]
public sealed class HostileRunMemoryTests(HostileTopology topology, ITestOutputHelper output)
{
    /// <summary>
    /// Generous, yet a leak breaks it: each round's 60 never-reading WebSocket subscribers are sent 2.6 MB each (156 MB a
    /// round, 624 MB over the 4 rounds if the replica kept what they do not read), its 20 SSE streams 1.3 MB each; a
    /// bounded queue (64 frames here) holds ~0.4 MB per client, released when the client is closed.
    /// </summary>
    private const double MaxGrowthDuringMiB = 300;

    private const double MaxGrowthAfterMiB = 150;

    [Fact]
    public async Task ReplicaMemoryStaysBoundedAndAWellBehavedClientIsServedThroughoutAHostileRun()
    {
        var pid = topology.ReplicaPid;
        var baselineConnections = await ReplicaGauges.ConnectionsAsync(topology.Replica);
        var before = ReplicaGauges.ResidentMiB(pid);
        var samples = new List<double> { before };
        await using var bystander = await WellBehavedClient.StartAsync(topology.Edge, $"memory-bystander-{Guid.NewGuid():N}");
        var rounds = FuzzSettings.IsLong ? 40 : 4;
        var random = FuzzSettings.RandomFor("memory-run");
        for (var round = 0; round < rounds; round++)
        {
            await HostileRoundAsync(round, random, samples, pid);
            samples.Add(ReplicaGauges.ResidentMiB(pid));
        }
        var peak = samples.Max();
        await BoundedWait.UntilAsync(async () => await ReplicaGauges.ConnectionsAsync(topology.Replica) <= baselineConnections + 1, TimeSpan.FromSeconds(60),
            "the replica to release every hostile connection", describe: async () => $"{await ReplicaGauges.ConnectionsAsync(topology.Replica)} open, {baselineConnections} before (+1 bystander)");
        var roundTrips = await bystander.StopAsync();
        var after = ReplicaGauges.ResidentMiB(pid);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replica RSS: before {before:0} MiB, peak {peak:0} MiB, after {after:0} MiB over {rounds} hostile rounds; samples [{string.Join(", ", samples.Select(s => s.ToString("0", CultureInfo.InvariantCulture)))}]; bystander {roundTrips} round trips"));
        Assert.True(peak - before < MaxGrowthDuringMiB, $"RSS grew {peak - before:0} MiB during the hostile run (bound {MaxGrowthDuringMiB})");
        Assert.True(after - before < MaxGrowthAfterMiB, $"RSS is {after - before:0} MiB above its start after the hostile run (bound {MaxGrowthAfterMiB})");
    }

    private async Task HostileRoundAsync(int round, Random random, List<double> samples, int pid)
    {
        var channel = $"live:flood-{round}-{Guid.NewGuid():N}";
        var sseChannel = $"chat:flood-{round}-{Guid.NewGuid():N}";
        var neverRead = new List<RealtimeSocket>();
        var streams = new List<(HttpClient Http, HttpResponseMessage Response)>();
        var silent = new List<RawConnection>();
        try
        {
            for (var i = 0; i < 60; i++)
            {
                var socket = await RealtimeSocket.ConnectAsync(topology.Replica, HostileTopology.Token($"never-reads-{i}"), startReading: false);
                await socket.SendAsync(new { type = "subscribe", id = 1, channel });
                neverRead.Add(socket);
            }
            for (var i = 0; i < 20; i++)
            {
                var http = new HttpClient { BaseAddress = topology.Replica, Timeout = Timeout.InfiniteTimeSpan };
                var response = await http.GetAsync($"/connect/sse?channels={sseChannel}&access_token={HostileTopology.Token($"sse-never-reads-{i}")}", HttpCompletionOption.ResponseHeadersRead);
                streams.Add((http, response));
            }
            for (var i = 0; i < 30; i++)
            {
                var connection = await RawConnection.OpenAsync(topology.Replica);
                await connection.SendAsync($"GET /connect/ws?access_token={HostileTopology.Token($"silent-{i}")} HTTP/1.1\r\nHost: {topology.Replica.Authority}\r\n" +
                    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: realtime.v1.json\r\n\r\n");
                silent.Add(connection);
            }
            await using var flooder = await RealtimeSocket.ConnectAsync(topology.Replica, HostileTopology.Token("flooder"));
            var payload = new string('z', 6500);
            var grammar = new FrameGrammar(random, "flooder");
            var mutator = new FrameMutator(random);
            var publisherToken = HostileTopology.Token("flooder");
            for (var i = 0; i < 400; i++)
            {
                await flooder.SendAsync(new { type = "publish", id = i, channel, data = payload });
                if (i % 2 == 0)
                {
                    using var sse = await Tokens.PublishAsync(topology.Replica, publisherToken, sseChannel, payload);
                }
                if (mutator.Mutate(grammar.Frame(10_000 + i)) is { IsValidUtf8: true } fuzzed)
                {
                    await flooder.SendRawAsync(fuzzed.Bytes);
                }
                if (i % 100 == 0)
                {
                    samples.Add(ReplicaGauges.ResidentMiB(pid));
                }
            }
            for (var i = 0; i < 5; i++)
            {
                await using var big = await RealtimeSocket.ConnectAsync(topology.Replica, HostileTopology.Token($"oversize-{i}"));
                await big.SendRawAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"ping\",\"id\":1,\"pad\":\"{new string('p', HostileTopology.MaxFrameBytes)}\"}}"));
                Assert.Equal(WebSocketCloseStatus.MessageTooBig, (await big.Closed.WaitAsync(TimeSpan.FromSeconds(30))).Status);
            }
            samples.Add(ReplicaGauges.ResidentMiB(pid));
        }
        finally
        {
            // In parallel: a close handshake with a client whose backlog is still queued may take its time.
            await Task.WhenAll(neverRead.Select(s => s.DisposeAsync().AsTask()));
            foreach (var (http, response) in streams)
            {
                response.Dispose();
                http.Dispose();
            }
            await Task.WhenAll(silent.Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
