using RealtimeAspire.Bench.Cli;
using RealtimeAspire.Bench.Topology;

namespace RealtimeAspire.Bench.Tests;

public class ProxyTests
{
    [Fact]
    public void ViaNginxParses()
    {
        Assert.Equal(Via.Nginx, BenchArguments.Parse(["fanout", "--via", "nginx"]).Options!.Via);
        Assert.Contains(BenchArguments.Parse(["fanout", "--via", "haproxy"]).Errors, e => e.StartsWith("--via must be one of direct|edge|nginx", StringComparison.Ordinal));
    }

    [Fact]
    public void TheNginxConfigurationProxiesUpgradesAndStreamsToEveryReplicaStickyPerUser()
    {
        var conf = NginxHost.Configuration([new Uri("http://localhost:7001/"), new Uri("http://localhost:7002/")], 8080, "/tmp/x");

        Assert.Contains("server localhost:7001;", conf, StringComparison.Ordinal);
        Assert.Contains("server localhost:7002;", conf, StringComparison.Ordinal);
        Assert.Contains("hash $http_authorization consistent;", conf, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", conf, StringComparison.Ordinal);
        Assert.Contains("proxy_buffering off;", conf, StringComparison.Ordinal);
        Assert.Contains("listen 127.0.0.1:8080;", conf, StringComparison.Ordinal);
    }

    [Fact]
    public void CpuTimeOfThisProcessGrowsWithWork()
    {
        var pid = Environment.ProcessId;
        var before = ProcessCpu.Seconds(pid);
        var spin = System.Diagnostics.Stopwatch.StartNew();
        var x = 0L;
        // Busy for a CPU-time tick or more (USER_HZ is 100: 10 ms).
        while (ProcessCpu.Seconds(pid) <= before && spin.Elapsed < TimeSpan.FromSeconds(10))
        {
            x += Environment.TickCount64 % 7;
        }
        Assert.True(ProcessCpu.Seconds(pid) > before, $"no CPU time counted ({x})");
        Assert.Contains(pid, ProcessCpu.WithChildren(pid));
    }
}
