using Microsoft.Extensions.Diagnostics.HealthChecks;
using RealtimeAspire.EdgeProxy.Health;
using RealtimeAspire.EdgeProxy.Routing;

namespace RealtimeAspire.EdgeProxy.Tests.Health;

public sealed class ClustersHealthCheckTests
{
    [Fact]
    public void EveryClusterWithAHealthyReplicaIsHealthy() =>
        Assert.Equal(HealthStatus.Healthy, ClustersHealthCheck.Classify([]).Status);

    [Theory]
    [InlineData(EdgeClusters.MessageService)]
    [InlineData(EdgeClusters.PresenceService)]
    public void WithoutHistoryOrPresenceTheEdgeIsDegradedNotUnready(string cluster)
    {
        var result = ClustersHealthCheck.Classify([cluster]);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal($"No healthy replica in: {cluster}", result.Description);
    }

    [Fact]
    public void WithoutAConnectionServiceReplicaTheEdgeIsUnhealthyWhateverElseIsMissing()
    {
        Assert.Equal(HealthStatus.Unhealthy, ClustersHealthCheck.Classify([EdgeClusters.ConnectionService]).Status);
        var all = ClustersHealthCheck.Classify([EdgeClusters.MessageService, EdgeClusters.ConnectionService]);
        Assert.Equal(HealthStatus.Unhealthy, all.Status);
        Assert.Equal("No healthy replica in: message-service, connection-service", all.Description);
    }
}
