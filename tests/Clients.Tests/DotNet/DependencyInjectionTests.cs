using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RealtimeAspire.Client;

namespace RealtimeAspire.Clients.Tests.DotNet;

[Collection(nameof(ClientTopologyCollection))]
public sealed class DependencyInjectionTests(ClientTopologyFixture fixture)
{
    [Fact]
    public async Task AddRealtimeClientReadsTheEdgeFromAspireServiceDiscovery()
    {
        var user = Unique.Name("di");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["services:edge:http:0"] = fixture.EdgeUrl.ToString() })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddRealtimeClient(o => o.TokenProvider = ct => new ValueTask<string>(fixture.TokenAsync(user, ct)));
        await using var provider = services.BuildServiceProvider();

        Assert.Equal(fixture.EdgeUrl, provider.GetRequiredService<IOptions<RealtimeClientOptions>>().Value.EdgeUrl);
        var client = provider.GetRequiredService<RealtimeClient>();
        var ack = await client.PublishAsync($"chat:{Unique.Name("di")}", "from DI").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, ack.Seq);
    }

    [Fact]
    public void InvalidOptionsAreReportedTogetherWithTheKeysToFix()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddRealtimeClient(o =>
            {
                o.Transports = [];
                o.UpgradeAfter = TimeSpan.FromSeconds(-1);
                o.AffinityKey = "";
            });
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RealtimeClientOptions>>().Value);
        Assert.Contains("RealtimeClient:EdgeUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("RealtimeClient:Token", error.Message, StringComparison.Ordinal);
        Assert.Contains("RealtimeClient:Transports", error.Message, StringComparison.Ordinal);
        Assert.Contains("RealtimeClient:UpgradeAfter", error.Message, StringComparison.Ordinal);
        Assert.Contains("RealtimeClient:AffinityKey", error.Message, StringComparison.Ordinal);
    }
}
