using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace RealtimeAspire.Integrations.Kafka;

internal static partial class KafkaHealthLog
{
    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning,
        Message = "Kafka connection '{Connection}' ({BootstrapServers}) does not answer: its readiness check reports {Status} until it does. {Description} {Error}")]
    public static partial void ClusterUnavailable(ILogger logger, string connection, string bootstrapServers, HealthStatus status, string? description, string? error);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information,
        Message = "Kafka connection '{Connection}' ({BootstrapServers}) answers again: {Description}")]
    public static partial void ClusterAvailable(ILogger logger, string connection, string bootstrapServers, string? description);
}
