using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using RealtimeAspire.EdgeProxy.Refusals;
using RealtimeAspire.EdgeProxy.Telemetry;

namespace RealtimeAspire.EdgeProxy.RateLimiting;

public static class EdgeRateLimiting
{
    /// <summary>ProblemDetails <c>title</c> (and <c>type</c> suffix) of the edge's 429.</summary>
    public const string RateLimitedCode = "rate_limited";

    /// <summary>Without a limiter's own estimate, clients are told to come back after this.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>ASP.NET Core rate limiting over connects and publishes, 429 with <c>Retry-After</c> and a ProblemDetails body.</summary>
    public static IHostApplicationBuilder AddEdgeRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<EdgeRateLimitingOptions>, EdgeRateLimitingOptionsValidator>();
        builder.Services.AddOptions<EdgeRateLimitingOptions>()
            .BindConfiguration(EdgeRateLimitingOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<EdgeRateLimitingOptions>>((limiter, options) =>
            {
                limiter.GlobalLimiter = EdgeRateLimiter.Create(options.Value);
                limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                limiter.OnRejected = OnRejectedAsync;
            });
        builder.Services.AddRateLimiter(_ => { });
        return builder;
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var traffic = RateLimitTraffic.Of(context) ?? "other";
        var retryAfter = RetryAfterSeconds(rejected.Lease);
        context.RequestServices.GetRequiredService<EdgeMetrics>().RateLimited(traffic);
        RateLimitingLog.Rejected(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EdgeRateLimiting)), traffic, retryAfter);

        // The replicas' code for a rate refusal (docs/protocol.md), so a client handles both alike.
        await (EdgeRefusal.WithCode(StatusCodes.Status429TooManyRequests, RateLimitedCode, $"Rate limit for {traffic} exceeded; retry after {retryAfter} s.") with
        {
            RetryAfterSeconds = retryAfter,
        }).WriteAsync(context);
    }

    /// <summary>Whole seconds, at least one, from the limiter's estimate when it gives one.</summary>
    public static int RetryAfterSeconds(RateLimitLease lease) =>
        (int)Math.Max(1, Math.Ceiling((lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : DefaultRetryAfter).TotalSeconds));
}
