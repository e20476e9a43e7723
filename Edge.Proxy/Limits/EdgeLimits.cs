using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using RealtimeAspire.EdgeProxy.Refusals;

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

    /// <summary>
    /// A body over <see cref="EdgeLimitsOptions.MaxRequestBodyBytes"/> is answered 413 with a ProblemDetails body like
    /// every other refusal: at once when <c>Content-Length</c> says so, and after the fact when a chunked body runs
    /// over (Kestrel stops the read, the proxy sets 413 and writes nothing).
    /// </summary>
    public static IApplicationBuilder UseEdgeBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<EdgeLimitsOptions>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await WriteTooLargeAsync(context, limit);
            return;
        }
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await WriteTooLargeAsync(context, limit);
        }
    });

    private static async Task WriteTooLargeAsync(HttpContext context, long limit)
    {
        LimitsLog.BodyTooLarge(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EdgeLimits)), context.Request.Path.Value ?? "", limit);
        await EdgeRefusal.WithCode(StatusCodes.Status413PayloadTooLarge, "request_too_large",
            $"The request body is over the edge's limit of {limit} bytes ({EdgeLimitsOptions.SectionName}:{nameof(EdgeLimitsOptions.MaxRequestBodyBytes)}).")
            .WriteAsync(context);
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
