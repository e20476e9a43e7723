using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using RealtimeAspire.EdgeProxy.Affinity;
using RealtimeAspire.EdgeProxy.RateLimiting;
using RealtimeAspire.EdgeProxy.Refusals;
using RealtimeAspire.EdgeProxy.Telemetry;

namespace RealtimeAspire.EdgeProxy.Cors;

/// <summary>
/// Browser origins, from the configuration shared with the services (<see cref="AllowedOriginsOptions"/>,
/// <c>Cors:AllowedOrigins</c>): CORS for the HTTP APIs, and a refusal (403) of WebSocket, SSE and long-poll
/// connections from a browser origin that is not allowed, before they reach a replica (browsers do not apply
/// CORS to WebSockets; the services check again).
/// </summary>
public static class EdgeCors
{
    public const string PolicyName = "edge";

    public static IHostApplicationBuilder AddEdgeCors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AllowedOriginsOptions>()
            .BindConfiguration(AllowedOriginsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>()
            .Configure<IOptions<AllowedOriginsOptions>>((cors, allowed) => cors.AddPolicy(PolicyName, policy => policy
                .SetIsOriginAllowed(allowed.Value.IsAllowed)
                .AllowAnyMethod()
                .AllowAnyHeader()
                .AllowCredentials()
                .WithExposedHeaders(AffinityConventions.ClientHeader, "X-Realtime-Replica", "Retry-After")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return builder;
    }

    /// <summary>Refuses connection attempts whose <c>Origin</c> is neither allowed nor the edge's own.</summary>
    public static IApplicationBuilder UseEdgeOriginCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (RateLimitTraffic.IsConnection(context)
            && context.Request.Headers.Origin is [{ Length: > 0 } origin, ..]
            && !IsSameOrigin(context.Request, origin)
            && !context.RequestServices.GetRequiredService<IOptions<AllowedOriginsOptions>>().Value.IsAllowed(origin))
        {
            context.RequestServices.GetRequiredService<EdgeMetrics>().OriginRejected();
            await EdgeRefusal.WithCode(StatusCodes.Status403Forbidden, OriginRefusal.Code, OriginRefusal.Detail(origin!)).WriteAsync(context);
            return;
        }
        await next(context);
    });

    public static bool IsSameOrigin(HttpRequest request, string origin) =>
        OriginRefusal.IsSameOrigin(origin, request.Scheme, request.Host.Value ?? "");
}
