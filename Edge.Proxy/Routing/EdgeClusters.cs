namespace RealtimeAspire.EdgeProxy.Routing;

/// <summary>The services behind the edge, by the names service discovery knows them under.</summary>
public static class EdgeClusters
{
    public const string ConnectionService = "connection-service";
    public const string MessageService = "message-service";
    public const string PresenceService = "presence-service";

    public static readonly IReadOnlyList<string> All = [ConnectionService, MessageService, PresenceService];
}
