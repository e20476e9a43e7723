using Microsoft.Extensions.DependencyInjection.Extensions;
using RealtimeAspire.Integrations.Redis;

namespace Microsoft.Extensions.DependencyInjection;

public static class RedisPubSubExtensions
{
    /// <summary>
    /// <see cref="RedisPubSub"/>: sharded pub/sub on a Redis Cluster, classic elsewhere. Needs the multiplexer
    /// (Aspire's <c>AddRedisClient</c>).
    /// </summary>
    public static IServiceCollection AddRedisPubSub(this IServiceCollection services)
    {
        services.TryAddSingleton<RedisPubSub>();
        return services;
    }
}
