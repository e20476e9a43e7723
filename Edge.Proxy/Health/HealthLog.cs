namespace RealtimeAspire.EdgeProxy.Health;

internal static partial class HealthLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Replica {Destination} of {Cluster} refused a connection; out of rotation for {Seconds} s.")]
    public static partial void ReplicaRefusedConnection(ILogger logger, string destination, string cluster, double seconds);
}
