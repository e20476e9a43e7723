using RealtimeAspire.Testing;

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
        await BoundedWait.UntilAsync(async () => await HeartbeatsAsync() >= until, TimeSpan.FromSeconds(30), "Presence.Service to see three heartbeats of every replica");

        Assert.Equal(before, await ExceptionsAsync(cluster.Replica(0)));
    }

    private Task<double> HeartbeatsAsync() => PrometheusText.SumAsync(cluster.Presence, "realtime_presence_heartbeat_lag_seconds_count");

    private static Task<double> ExceptionsAsync(Uri replica) => PrometheusText.SumAsync(replica, "dotnet_exceptions_total");
}
