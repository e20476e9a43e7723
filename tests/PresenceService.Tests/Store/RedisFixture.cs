using Aspire.Hosting;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.Testing;
using StackExchange.Redis;

namespace RealtimeAspire.PresenceService.Tests.Store;

/// <summary>A real Redis (or Garnet) from the test host.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private TestTopology _topology = null!;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _topology = await TestTopology.StartAsync(new TestTopologyOptions(), (builder, secrets) => builder.AddLocalRedis("redis", secrets), CancellationToken.None);
        await _topology.WaitForAllHealthyAsync(TimeSpan.FromSeconds(60));
        Redis = await ConnectionMultiplexer.ConnectAsync((await _topology.Instance("redis").ConnectionStringAsync())!);
    }

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await _topology.DisposeAsync();
    }
}

[CollectionDefinition(nameof(RedisCollection))]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>;
