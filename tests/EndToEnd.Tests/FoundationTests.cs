using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;

namespace RealtimeAspire.EndToEnd.Tests;

[Collection(nameof(TopologyCollection))]
public sealed class FoundationTests(TopologyFixture fixture)
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void EveryResourceIsRunningAndHealthyWithOneResourcePerReplica()
    {
        var resources = fixture.Topology.Workload.ToList();

        Assert.Equal(
            ["connection-service-0", "connection-service-1", "connection-service-2", "edge", "feed-publisher", "kafka", "message-service", "messages", "postgres", "presence-service", "redis"],
            resources.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(resources, r => Assert.True(r.IsHealthy, r.ToString()));
        var replicaPids = fixture.Topology.Find("connection-service").Select(r => r.ProcessId).ToList();
        Assert.Equal(3, replicaPids.Distinct().Count());
        Assert.All(replicaPids, pid => Assert.Contains("Connection.Service", CommandLine(pid!.Value), StringComparison.Ordinal));
    }

    [Fact]
    public void RedisAndPresenceServiceRunAtControlPlaneNicenessAndTheRestAtNormalPriority()
    {
        Assert.Equal(-5, Niceness(fixture.Topology.Instance("redis").ProcessId!.Value));
        Assert.Equal(-5, Niceness(fixture.Topology.Instance("presence-service").ProcessId!.Value));
        Assert.Equal(0, Niceness(fixture.Topology.Instance("connection-service-0").ProcessId!.Value));
    }

    [Fact]
    public async Task EdgeIsHealthyAndForwardsThroughYarpToEveryReplica()
    {
        // No cookies: every request is a new client, free to land on any replica.
        using var edge = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = fixture.Topology.Endpoint("edge") };
        Assert.Equal(HttpStatusCode.OK, (await edge.GetAsync("/health")).StatusCode);

        // Paced, within a bounded time: a replica another test restarted rejoins when the edge's health probe sees it,
        // and a tight loop would only meet the edge's connect rate limit.
        var seen = new HashSet<string>();
        await Testing.BoundedWait.UntilAsync(async () =>
        {
            using var response = await edge.GetAsync("/connect/info");
            if (response.IsSuccessStatusCode)
            {
                seen.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replica").GetString()!);
            }
            return seen.Count == 3;
        }, RecoveryTimeout, "the edge forwarding to every replica", describe: () => Task.FromResult(string.Join(", ", seen)), pause: TimeSpan.FromMilliseconds(50));

        Assert.Equal(["connection-service-0", "connection-service-1", "connection-service-2"], seen.Order());
    }

    [Fact]
    public async Task KilledReplicaIsRestartedAndHealthyAgain()
    {
        var replica = fixture.Topology.Instance("connection-service-1");
        var restartsBefore = replica.Restarts;

        var killed = fixture.Topology.Kill("connection-service-1");
        await fixture.Topology.WaitAsync(
            () => replica.Restarts > restartsBefore && replica.ProcessId is { } pid && pid != killed && replica.IsHealthy,
            RecoveryTimeout, "connection-service-1 restarted and healthy", "connection-service-1");

        using var client = fixture.Topology.CreateHttpClient("connection-service-1");
        var info = await client.GetFromJsonAsync<JsonElement>("/connect/info");
        Assert.Equal("connection-service-1", info.GetProperty("replica").GetString());
    }

    [Fact]
    public async Task StopCommandStopsAResourceGracefullyAndItStaysDownUntilStarted()
    {
        var replica = fixture.Topology.Instance("connection-service-2");
        var pid = replica.ProcessId!.Value;
        var restartsBefore = replica.Restarts;

        await replica.StopAsync();
        await fixture.Topology.WaitAsync(() => KnownResourceStates.TerminalStates.Contains(replica.State), RecoveryTimeout, "connection-service-2 stopped", "connection-service-2");

        // A clean exit (SIGTERM, drained): not a failure, so the AppHost does not start it again.
        Assert.True(replica.Snapshot!.ExitCode == 0, $"exit code {replica.Snapshot.ExitCode}\n{fixture.Topology.Describe("connection-service-2")}");
        Assert.False(IsAlive(pid));
        Assert.Equal(restartsBefore, replica.Restarts);
        Assert.True(KnownResourceStates.TerminalStates.Contains(replica.State), replica.ToString());

        await replica.StartAsync();
        await fixture.Topology.WaitForResourceHealthyAsync("connection-service-2", RecoveryTimeout);
        Assert.NotEqual(pid, replica.ProcessId);
    }

    [Fact]
    public async Task StopCommandDrainsAConnectedClientAndExitsInsideAspiresStopWait()
    {
        var replica = fixture.Topology.Instance("connection-service-2");
        var pid = replica.ProcessId!.Value;
        using var edge = fixture.Topology.CreateHttpClient("edge");
        var token = (await (await edge.PostAsJsonAsync("/api/dev/token", new { user = "stopper" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("realtime.v1.json");
        var endpoint = fixture.Topology.Endpoint("connection-service-2");
        await socket.ConnectAsync(new Uri($"ws://{endpoint.Authority}/connect/ws?access_token={token}"), CancellationToken.None);
        Assert.Equal("welcome", (await ReceiveFrameAsync(socket)).GetProperty("type").GetString());

        // A client that hears the drain notice but stays: the replica must close it itself, within the stop's wait.
        var stopping = replica.StopAsync();
        var notice = await ReceiveFrameAsync(socket);
        Assert.Equal("reconnect", notice.GetProperty("type").GetString());
        Assert.Equal("drain", notice.GetProperty("reason").GetString());
        var closing = await socket.ReceiveAsync(new byte[1024], CancellationToken.None).WaitAsync(RecoveryTimeout);
        Assert.Equal(WebSocketMessageType.Close, closing.MessageType);
        Assert.Equal((WebSocketCloseStatus)1001, socket.CloseStatus);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        await stopping;
        await fixture.Topology.WaitAsync(() => KnownResourceStates.TerminalStates.Contains(replica.State), RecoveryTimeout, "connection-service-2 stopped", "connection-service-2");
        Assert.True(replica.Snapshot!.ExitCode == 0, $"exit code {replica.Snapshot.ExitCode}\n{fixture.Topology.Describe("connection-service-2")}");
        Assert.False(IsAlive(pid));

        await replica.StartAsync();
        await fixture.Topology.WaitForResourceHealthyAsync("connection-service-2", RecoveryTimeout);
    }

    private static async Task<JsonElement> ReceiveFrameAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(RecoveryTimeout);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            using var frame = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (frame.RootElement.GetProperty("type").GetString() is not ("pong" or "presence"))
            {
                return frame.RootElement.Clone();
            }
        }
    }

    [Fact]
    public async Task DrainCommandMakesTheReplicaUnreadyAndTellsItsClientsToReconnect()
    {
        var replica = fixture.Topology.Instance("connection-service-0");
        var pid = replica.ProcessId;
        using var direct = fixture.Topology.CreateHttpClient("connection-service-0");
        try
        {
            await replica.ExecuteAsync("drain");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await direct.GetAsync("/health")).StatusCode);
        }
        finally
        {
            await replica.RestartAsync();
            await fixture.Topology.WaitAsync(() => replica.IsHealthy && replica.ProcessId is { } p && p != pid, RecoveryTimeout, "connection-service-0 back", "connection-service-0");
        }
    }

    [Fact]
    public async Task FlushCommandEmptiesTheLocalRedis()
    {
        var redis = fixture.Topology.Instance("redis");
        var (host, port, password) = AppHost.LocalInfrastructure.RespProbe.Parse((await redis.ConnectionStringAsync())!);
        Assert.Equal("+OK", await AppHost.LocalInfrastructure.RespProbe.SendAsync(host, port, password, ["SET", "flush-probe", "1"], CancellationToken.None));

        await redis.ExecuteAsync("flush");

        Assert.Equal(":0", await AppHost.LocalInfrastructure.RespProbe.SendAsync(host, port, password, ["EXISTS", "flush-probe"], CancellationToken.None));
    }

    [Fact]
    public async Task AnUnknownCommandIsRefused()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Topology.Instance("edge").ExecuteAsync("explode"));
        Assert.Contains("explode", error.Message, StringComparison.Ordinal);
    }

    private static string CommandLine(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');

    private static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Length > 0;

    /// <summary>Field 19 of /proc/{pid}/stat (after the parenthesised command name).</summary>
    private static int Niceness(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], CultureInfo.InvariantCulture);
    }
}
