using Aspire.Hosting;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.Testing;
using StackExchange.Redis;

namespace RealtimeAspire.PresenceService.Tests.Store;

/// <summary>A real Redis (or Garnet) from the test host.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private TestTopology _topology = null!;

    /// <summary>The test host running the <c>redis</c> resource (to stop and start it).</summary>
    public TestTopology Topology => _topology;

    public IConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>What a service gets as <c>ConnectionStrings:redis</c>.</summary>
    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _topology = await TestTopology.StartAsync(new TestTopologyOptions(), (builder, secrets) => builder.AddLocalRedis("redis", secrets), CancellationToken.None);
        await _topology.WaitForAllHealthyAsync(TimeSpan.FromSeconds(60));
        ConnectionString = (await _topology.Instance("redis").ConnectionStringAsync())!;
        Redis = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await _topology.DisposeAsync();
    }
}

[CollectionDefinition(nameof(RedisCollection))]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>;
