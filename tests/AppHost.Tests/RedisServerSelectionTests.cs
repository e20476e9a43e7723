using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.Testing;

namespace RealtimeAspire.AppHost.Tests;

/// <summary>redis-server when the machine has it, Garnet from the tool manifest when it does not; both really started and pinged.</summary>
public sealed class RedisServerSelectionTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task GarnetIsUsedWhenRedisServerIsAbsent()
    {
        var emptyPath = TestData.NewFolder("no-tools");
        await using var topology = await TestTopology.StartAsync(new TestTopologyOptions { ToolSearchPath = emptyPath }, (b, secrets) => b.AddLocalRedis("redis", secrets), CancellationToken.None);
        await topology.WaitForResourceHealthyAsync("redis", StartTimeout);

        var redis = topology.Instance("redis");
        Assert.Equal(LocalRedisResource.Garnet, Assert.IsType<LocalRedisResource>(redis.Resource).Server);
        Assert.Contains("GarnetServer.dll", CommandLine(redis.ProcessId!.Value), StringComparison.Ordinal);
        await AssertAnswersOnlyWithPasswordAsync(redis);
    }

    [Fact]
    public async Task RedisServerIsUsedWhenPresentWithoutPersistence()
    {
        Assert.True(ExecutableLocator.Find("redis-server") is not null,
            "redis-server must be installed for this test (tests/run installs it: apt-get install redis-server).");
        await using var topology = await TestTopology.StartAsync(new TestTopologyOptions(), (b, secrets) => b.AddLocalRedis("redis", secrets), CancellationToken.None);
        await topology.WaitForResourceHealthyAsync("redis", StartTimeout);

        var redis = topology.Instance("redis");
        Assert.Equal(LocalRedisResource.RedisServer, Assert.IsType<LocalRedisResource>(redis.Resource).Server);
        Assert.Contains("redis-server", CommandLine(redis.ProcessId!.Value), StringComparison.Ordinal);
        await AssertAnswersOnlyWithPasswordAsync(redis);
        // The recent history is a cache: no snapshots and no append-only file.
        var (host, port, password) = RespProbe.Parse((await redis.ConnectionStringAsync())!);
        Assert.Equal("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", await RawReplyAsync(host, port, password!, "CONFIG", "GET", "save"));
        Assert.Equal("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n", await RawReplyAsync(host, port, password!, "CONFIG", "GET", "appendonly"));
    }

    private static async Task AssertAnswersOnlyWithPasswordAsync(TestResource redis)
    {
        var (host, port, password) = RespProbe.Parse((await redis.ConnectionStringAsync())!);
        Assert.NotNull(password);
        Assert.True(await RespProbe.PingAsync(host, port, password, CancellationToken.None));
        Assert.False(await RespProbe.PingAsync(host, port, "wrong-password", CancellationToken.None));
    }

    /// <summary>One command's whole RESP reply (after AUTH's +OK), for replies that are arrays.</summary>
    private static async Task<string> RawReplyAsync(string host, int port, string password, params string[] command)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(host, port);
        var stream = client.GetStream();
        static string Resp(string[] parts) => $"*{parts.Length}\r\n" + string.Concat(parts.Select(p => $"${p.Length}\r\n{p}\r\n"));
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Resp(["AUTH", password]) + Resp(command)));
        var received = new System.Text.StringBuilder();
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        // +OK, then an array of two bulk strings: complete after six line ends.
        while (received.ToString().Split("\r\n").Length < 7)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }
            received.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        }
        return received.ToString()["+OK\r\n".Length..];
    }

    private static string CommandLine(int pid) =>
        File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
}
