using Microsoft.Extensions.Logging;

namespace RealtimeAspire.ServiceDefaults.Production;

internal static partial class ServiceDefaultsLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{HealthPath} and {AlivePath} are not served in environment {Environment}: set HealthEndpoints:Enabled=true for the platform's probes.")]
    public static partial void HealthEndpointsNotMapped(ILogger logger, string healthPath, string alivePath, string environment);
}
