using System.Diagnostics;
using RealtimeAspire.Testing;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

/// <summary>
/// The edge's requirements checked through the real edge in front of the 3 Connection.Service replicas that
/// <c>AppHost/Program.cs</c> declares. Split by concern into partial files; tests that take a replica down bring
/// it back before they end. They speak through the raw <see cref="EdgeClient"/>, which shows what the .NET client
/// hides (response keys against <c>welcome.affinity</c>, status codes, headers, close codes and frames), except the
/// message tests (ThroughTheEdgeTests.Messages.cs), which need only a well-behaved client and use the .NET client.
/// </summary>
[Collection(nameof(EdgeTopologyCollection))]
public sealed partial class ThroughTheEdgeTests(EdgeTopologyFixture fixture)
{
    private const string Cluster = "connection-service";
    private static readonly string[] Replicas = ["connection-service-0", "connection-service-1", "connection-service-2"];
    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Distinguishes this run's users, so per-user buckets and connection limits start fresh.</summary>
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private TestTopology Topology => fixture.Topology;

    private EdgeClient Edge => fixture.Edge;

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    private async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (await condition().WaitAsync(timeout))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException or TaskCanceledException or TimeoutException)
            {
                last = ex;
            }
            await Task.Delay(PollDelay);
        }
        Assert.Fail($"Not within {timeout.TotalSeconds:0.#} s: {what}. Last error: {last?.Message ?? "none"}\n{Topology.Describe("edge")}");
    }

    /// <summary>The affinity key of <paramref name="replica"/>, learnt the way a client learns it: from a response that landed there.</summary>
    private async Task<string> KeyOfAsync(string replica)
    {
        string? key = null;
        await EventuallyAsync(async () =>
        {
            var info = await Edge.InfoAsync(TestRequestsToken($"key-{Guid.NewGuid():N}"));
            key = info.Replica == replica ? info.Key : null;
            return key is not null;
        }, TimeSpan.FromSeconds(20), $"a response from {replica}");
        return key!;
    }

    /// <summary>An unsigned JWT-shaped token: <c>/connect/info</c> needs none, but the edge buckets by its <c>sub</c>.</summary>
    private static string TestRequestsToken(string subject) => RateLimiting.TestRequests.UnsignedToken(new { sub = subject });

    private async Task<string> EdgeMetricsAsync()
    {
        using var response = await Edge.Http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>
    /// The edge's metrics once they count at least <paramref name="connectRequests"/> proxied connects: a scrape the
    /// exporter may have cached from before the requests just made is not taken for the current state.
    /// </summary>
    private async Task<string> FreshEdgeMetricsAsync(double connectRequests)
    {
        var metrics = await EdgeMetricsAsync();
        var clock = Stopwatch.StartNew();
        while (Counter(metrics, "realtime_edge_requests_total", "route=\"connect\"") < connectRequests && clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(PollDelay);
            metrics = await EdgeMetricsAsync();
        }
        return metrics;
    }

    /// <summary>Sum of a Prometheus counter's series whose labels contain every one of <paramref name="labels"/>.</summary>
    private static double Counter(string metrics, string name, params string[] labels) =>
        metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            .Sum(line => double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
}
