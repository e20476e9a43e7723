namespace RealtimeAspire.EdgeProxy.Routing;

internal static partial class RoutingLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Replica {Destination} {Failure} (attempt {Attempt}); sending the request to another replica.")]
    public static partial void FailingOver(ILogger logger, string destination, string failure, int attempt);
}
