using StackExchange.Redis;

namespace RealtimeAspire.Integrations.Redis;

/// <summary>What every service sets on Aspire's Redis client (<c>AddRedisClient(…, configureOptions: RedisClientDefaults.Apply)</c>).</summary>
public static class RedisClientDefaults
{
    public static void Apply(ConfigurationOptions options)
    {
        // Aspire's default too; set here because the services rely on it: the multiplexer keeps reconnecting, so a
        // Redis restart is survived without a service restart.
        options.AbortOnConnectFail = false;
        // Aspire's health check asks a cluster node CLUSTER INFO, which StackExchange.Redis refuses without admin
        // mode: without it every service on a Redis Cluster stays unhealthy. The services issue no admin command.
        options.AllowAdmin = true;
    }
}
