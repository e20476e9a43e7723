using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace RealtimeAspire.EdgeProxy.Limits;

public static class EdgeLimits
{
    /// <summary>Applies <see cref="EdgeLimitsOptions"/> to Kestrel.</summary>
    public static IHostApplicationBuilder AddEdgeLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeLimitsOptions>()
            .BindConfiguration(EdgeLimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<EdgeLimitsOptions>>((kestrel, options) => Apply(options.Value, kestrel.Limits));
        return builder;
    }

    public static void Apply(EdgeLimitsOptions options, KestrelServerLimits limits)
    {
        limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersTotalBytes;
        limits.MaxRequestHeaderCount = options.MaxRequestHeaderCount;
        limits.MaxRequestLineSize = options.MaxRequestLineBytes;
        limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        limits.KeepAliveTimeout = options.KeepAliveTimeout;
        limits.MinRequestBodyDataRate = new MinDataRate(options.MinRequestBodyBytesPerSecond, options.MinRequestBodyGracePeriod);
        limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
        limits.MaxConcurrentUpgradedConnections = options.MaxConcurrentUpgradedConnections;
        limits.Http2.MaxRequestHeaderFieldSize = Math.Max(limits.Http2.MaxRequestHeaderFieldSize, Math.Min(options.MaxRequestHeadersTotalBytes, 16 * 1024 * 1024));
    }
}
