using RealtimeAspire.Hosting.Infrastructure;
using RealtimeAspire.Hosting.Resources;
using RealtimeAspire.Testing;

namespace RealtimeAspire.Hosting.Tests;

/// <summary>redis-server when the machine has it, Garnet from the tool manifest when it does not; both really started and pinged.</summary>
public sealed class RedisServerSelectionTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task GarnetIsUsedWhenRedisServerIsAbsent()
    {
        var emptyPath = TestData.NewFolder("no-tools");
        await using var topology = await TestTopology.StartAsync(new TestTopologyOptions { ToolSearchPath = emptyPath }, b => b.AddRedis("redis"), CancellationToken.None);
        await topology.WaitForResourceHealthyAsync("redis", StartTimeout);

        var redis = topology.Instance("redis");
        Assert.Equal("garnet", ((RedisResource)redis.Resource).Server);
        Assert.Contains("GarnetServer.dll", CommandLine(redis.ProcessId!.Value), StringComparison.Ordinal);
        await AssertAnswersOnlyWithPasswordAsync((RedisResource)redis.Resource);
    }

    [Fact]
    public async Task RedisServerIsUsedWhenPresent()
    {
        Assert.True(File.Exists("/usr/bin/redis-server") || Orchestration.ExecutableLocator.Find("redis-server") is not null,
            "redis-server must be installed for this test (tests/run installs it: apt-get install redis-server).");
        await using var topology = await TestTopology.StartAsync(new TestTopologyOptions(), b => b.AddRedis("redis"), CancellationToken.None);
        await topology.WaitForResourceHealthyAsync("redis", StartTimeout);

        var redis = topology.Instance("redis");
        Assert.Equal("redis-server", ((RedisResource)redis.Resource).Server);
        Assert.Contains("redis-server", CommandLine(redis.ProcessId!.Value), StringComparison.Ordinal);
        await AssertAnswersOnlyWithPasswordAsync((RedisResource)redis.Resource);
    }

    private static async Task AssertAnswersOnlyWithPasswordAsync(RedisResource redis)
    {
        var (host, port, password) = RespProbe.Parse(redis.GetConnectionString()!);
        Assert.NotNull(password);
        Assert.True(await RespProbe.PingAsync(host, port, password, CancellationToken.None));
        Assert.False(await RespProbe.PingAsync(host, port, "wrong-password", CancellationToken.None));
    }

    private static string CommandLine(int pid) =>
        File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
}
