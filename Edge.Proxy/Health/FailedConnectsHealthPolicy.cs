using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace RealtimeAspire.EdgeProxy.Health;

/// <summary>
/// Passive health: a replica that refuses a new connection (TCP refused or reset, or 503 because it is draining)
/// is taken out of rotation at once for the cluster's reactivation period, without waiting for the active probe
/// (YARP's TransportFailureRate needs a window of traffic first). Other failures (a client going away, a slow
/// response) say nothing about the replica.
/// </summary>
public sealed class FailedConnectsHealthPolicy(IDestinationHealthUpdater healthUpdater, ILogger<FailedConnectsHealthPolicy> logger) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "FailedConnects";

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        if (context.Features.Get<FailoverAttempt>() is not { ReplicaUnavailable: true }
            && !IsFailedConnect(context.Features.Get<IForwarderErrorFeature>()))
        {
            return;
        }
        var reactivation = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? EdgeHealthOptions.DefaultReactivationPeriod;
        HealthLog.ReplicaRefusedConnection(logger, destination.DestinationId, cluster.ClusterId, reactivation.TotalSeconds);
        healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, reactivation);
    }

    /// <summary>The forwarder could not get the request to the replica at all (connection refused, reset, unreachable).</summary>
    public static bool IsFailedConnect(IForwarderErrorFeature? error)
    {
        if (error is not { Error: ForwarderError.Request })
        {
            return false;
        }
        for (var exception = error.Exception; exception is not null; exception = exception.InnerException)
        {
            if (exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } or SocketException)
            {
                return true;
            }
        }
        return false;
    }
}
