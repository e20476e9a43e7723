using System.Globalization;

namespace RealtimeAspire.PresenceService.Tests.Functional;

/// <summary>
/// An idle system does its periodic work (presence ticks every 250 ms, heartbeats, health probes) without throwing:
/// a steady exception rate on <c>dotnet_exceptions_total</c> is noise on the dashboard and CPU taken from traffic.
/// </summary>
[Collection(nameof(PresenceCluster))]
public sealed class IdleReplicaTests(ClusterPresenceTopology cluster)
{
    [Fact]
    public async Task AnIdleReplicaHeartbeatsAndTicksWithoutThrowing()
    {
        var before = await ExceptionsAsync(cluster.Replica(0));
        // Three heartbeats of every replica (one a second here), each seen by Presence.Service: about twelve ticks.
        var until = await HeartbeatsAsync() + 3 * cluster.Replicas;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await HeartbeatsAsync() < until)
        {
            Assert.True(DateTime.UtcNow < deadline, "Presence.Service saw no heartbeats for 30 s");
            await Task.Delay(100);
        }

        Assert.Equal(before, await ExceptionsAsync(cluster.Replica(0)));
    }

    private Task<double> HeartbeatsAsync() => SumAsync(cluster.Presence, "realtime_presence_heartbeat_lag_seconds_count");

    private static Task<double> ExceptionsAsync(Uri replica) => SumAsync(replica, "dotnet_exceptions_total");

    /// <summary>The sum of one metric's series on a service's Prometheus <c>/metrics</c> (0 before its first measurement).</summary>
    private static async Task<double> SumAsync(Uri service, string metric)
    {
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        var text = await http.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
    }
}
