using System.Diagnostics;

namespace RealtimeAspire.ConnectionService.Diagnostics;

/// <summary>The service's one activity source: publish spans start here and travel on in the Kafka envelope.</summary>
public static class ConnectionTelemetry
{
    public const string SourceName = "RealtimeAspire.ConnectionService";

    public static readonly ActivitySource Source = new(SourceName);
}
