using RealtimeAspire.Testing;

namespace RealtimeAspire.EndToEnd.Tests;

/// <summary>
/// The AppHost's topology with one replica and every service logging ASP.NET Core, YARP and HttpClient at Debug: what
/// an SRE turns on to look at requests, and where a token in the query would show up first.
/// </summary>
public sealed class TokenRedactionTopology : IAsyncLifetime
{
    public static readonly string[] Services = ["edge", "connection-service-0", "message-service", "presence-service", "feed-publisher"];

    private static readonly IReadOnlyDictionary<string, string> s_debugLogging = new Dictionary<string, string>
    {
        ["Logging__LogLevel__Default"] = "Debug",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
        ["Logging__LogLevel__Yarp"] = "Debug",
        ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Debug",
        ["Logging__LogLevel__Polly"] = "Debug",
    };

    public TestTopology Topology { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TopologyFixture.StartTimeout);
        Topology = await TestTopology.StartAsync(new TestTopologyOptions
        {
            Configuration = new Dictionary<string, string> { ["Realtime:Replicas"] = "1" },
            Environment = Services.ToDictionary(s => s, _ => s_debugLogging),
        }, cts.Token);
        await Topology.WaitForAllHealthyAsync(TopologyFixture.StartTimeout);
    }

    public async Task DisposeAsync() => await Topology.DisposeAsync();
}
