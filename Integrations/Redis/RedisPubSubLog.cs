using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RealtimeAspire.Integrations.Redis;

internal static partial class RedisPubSubLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information,
        Message = "Redis pub/sub mode: {Mode} (server type {ServerType}, version {Version}, {Servers} connected servers)")]
    public static partial void PubSubModeDecided(this ILogger logger, string mode, ServerType serverType, Version version, int servers);
}
