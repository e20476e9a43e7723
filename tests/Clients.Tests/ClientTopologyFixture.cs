using System.Net.Http.Json;
using RealtimeAspire.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace RealtimeAspire.Clients.Tests;

/// <summary>
/// The whole topology of <c>AppHost/Program.cs</c> (3 replicas behind the real edge), shared by every client test.
/// Tests that kill or drain a replica put the topology back (<see cref="RestoreEveryReplicaAsync"/>) before they end.
/// </summary>
public sealed class ClientTopologyFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    public const int Replicas = 3;

    public TestTopology Topology { get; private set; } = null!;

    public Uri EdgeUrl { get; private set; } = null!;

    /// <summary>Without cookies: the edge's affinity cookie would stick every probe to one replica.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        Topology = await TestTopology.StartAsync(cts.Token);
        await Topology.WaitForAllHealthyAsync(StartTimeout);
        EdgeUrl = Topology.Endpoint("edge");
        await RestoreEveryReplicaAsync(cts.Token);
    }

    /// <summary>Replica name → its own address (not through the edge): for <c>POST /admin/drain</c>.</summary>
    public IReadOnlyDictionary<string, Uri> ReplicaUrls() =>
        Enumerable.Range(0, Replicas).Select(i => $"connection-service-{i}").ToDictionary(name => name, name => Topology.Endpoint(name));

    /// <summary>
    /// Waits until every replica answers its own readiness check again (after a kill, the AppHost's restart on failure;
    /// after a drain, a kill and that restart) and, for <paramref name="restarted"/>, until the edge routes a new client to it: a replica just back has
    /// no connections, so the load balancer (fewest in flight of two) picks it as soon as its health check passes.
    /// </summary>
    public async Task RestoreEveryReplicaAsync(CancellationToken cancellationToken, string? restarted = null)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(StartTimeout);
        foreach (var (name, url) in ReplicaUrls())
        {
            while (!await AnswersAsync(new Uri(url, "/health"), bound.Token))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), bound.Token);
            }
        }
        var seen = new HashSet<string>();
        while (restarted is null ? seen.Count < Replicas : !seen.Contains(restarted))
        {
            // A new client each time (no affinity): the load balancer chooses.
            if (await ReplicaThroughTheEdgeAsync(bound.Token) is { } replica)
            {
                seen.Add(replica);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), bound.Token);
        }
    }

    private async Task<bool> AnswersAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(url, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private async Task<string?> ReplicaThroughTheEdgeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(EdgeUrl, "/connect/info"), cancellationToken);
            return response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<ReplicaInfo>(cancellationToken) is { Replica: { } replica } ? replica : null;
        }
        catch (HttpRequestException)
        {
            return null; // the edge is still binding its port
        }
    }

    public Task<string> TokenAsync(string user, CancellationToken cancellationToken, string[]? subscribe = null, string[]? publish = null) =>
        DevTokens.IssueAsync(Http, EdgeUrl, user, cancellationToken, subscribe, publish);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (Topology is not null)
        {
            await Topology.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private sealed record ReplicaInfo(string? Replica);
}

[CollectionDefinition(nameof(ClientTopologyCollection))]
public sealed class ClientTopologyCollection : ICollectionFixture<ClientTopologyFixture>;
