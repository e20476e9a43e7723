using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeAspire.Hosting.Orchestration;

namespace RealtimeAspire.EndToEnd.Tests;

[Collection(nameof(TopologyCollection))]
public sealed class FoundationTests(TopologyFixture fixture)
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task DashboardApiListsNineResourcesAllRunningAndHealthy()
    {
        using var dashboard = fixture.Topology.CreateDashboardClient();

        var resources = await dashboard.GetFromJsonAsync<JsonElement[]>("/api/resources");

        Assert.NotNull(resources);
        Assert.Equal(9, resources.Length);
        Assert.Equal(3, resources.Count(r => r.GetProperty("resource").GetString() == "connection-service"));
        Assert.All(resources, r =>
        {
            Assert.Equal("Running", r.GetProperty("state").GetString());
            Assert.Equal("Healthy", r.GetProperty("health").GetString());
            Assert.True(r.GetProperty("pid").GetInt32() > 0);
        });
        Assert.Equal(["presence-service", "redis"],
            resources.Where(r => r.GetProperty("niceness").GetInt32() < 0).Select(r => r.GetProperty("name").GetString()).Order());
    }

    [Fact]
    public async Task EdgeIsHealthyAndForwardsThroughYarpToEveryReplica()
    {
        // No cookies: every request is a new client, free to land on any replica.
        using var edge = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = fixture.Topology.Endpoint("edge") };
        Assert.Equal(HttpStatusCode.OK, (await edge.GetAsync("/health")).StatusCode);

        var seen = new HashSet<string>();
        for (var attempt = 0; attempt < 200 && seen.Count < 3; attempt++)
        {
            var info = await edge.GetFromJsonAsync<JsonElement>("/connect/info");
            seen.Add(info.GetProperty("replica").GetString()!);
        }

        Assert.Equal(["connection-service-0", "connection-service-1", "connection-service-2"], seen.Order());
    }

    [Fact]
    public async Task KilledReplicaIsRestartedAndHealthyAgainWithinFifteenSeconds()
    {
        var replica = fixture.Topology.Instance("connection-service-1");
        var restartsBefore = replica.Restarts;

        var killed = fixture.Topology.Kill("connection-service-1");
        await fixture.Topology.WaitAsync(
            () => replica.Restarts > restartsBefore && replica.ProcessId is { } pid && pid != killed && replica.Health == HealthState.Healthy,
            RecoveryTimeout, "connection-service-1 restarted and healthy", "connection-service-1");

        using var client = fixture.Topology.CreateHttpClient("connection-service-1");
        var info = await client.GetFromJsonAsync<JsonElement>("/connect/info");
        Assert.Equal("connection-service-1", info.GetProperty("replica").GetString());
    }

    [Fact]
    public async Task DashboardApiStopsAResourceUntilItIsStartedAgain()
    {
        using var dashboard = fixture.Topology.CreateDashboardClient();
        var replica = fixture.Topology.Instance("connection-service-2");
        var pid = replica.ProcessId;

        Assert.Equal(HttpStatusCode.Accepted, (await dashboard.PostAsync("/api/resources/connection-service-2/stop", null)).StatusCode);
        await fixture.Topology.WaitForStateAsync("connection-service-2", ResourceState.Stopped, RecoveryTimeout);
        Assert.Null(replica.ProcessId);
        Assert.False(File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("Connection.Service", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Accepted, (await dashboard.PostAsync("/api/resources/connection-service-2/start", null)).StatusCode);
        await fixture.Topology.WaitForResourceHealthyAsync("connection-service-2", RecoveryTimeout);
        Assert.NotEqual(pid, replica.ProcessId);
    }

    [Fact]
    public async Task DashboardApiRestartsEveryReplicaOfAResource()
    {
        using var dashboard = fixture.Topology.CreateDashboardClient();
        var pids = fixture.Topology.Orchestrator.Find("connection-service").ToDictionary(r => r.Name, r => r.ProcessId);

        Assert.Equal(HttpStatusCode.Accepted, (await dashboard.PostAsync("/api/resources/connection-service/restart", null)).StatusCode);
        await fixture.Topology.WaitAsync(
            () => fixture.Topology.Orchestrator.Find("connection-service").All(r => r.ProcessId is { } p && p != pids[r.Name] && r.Health == HealthState.Healthy),
            RecoveryTimeout * 2, "every connection-service replica restarted", "connection-service");
    }

    [Fact]
    public async Task UnknownResourceAndUnknownCommandAreRefused()
    {
        using var dashboard = fixture.Topology.CreateDashboardClient();

        Assert.Equal(HttpStatusCode.NotFound, (await dashboard.PostAsync("/api/resources/nope/stop", null)).StatusCode);
        var problem = await dashboard.PostAsync("/api/resources/edge/explode", null);
        Assert.Equal(HttpStatusCode.BadRequest, problem.StatusCode);
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
    }
}
