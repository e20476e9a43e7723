using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RealtimeAspire.EdgeProxy.Telemetry;

public static class EdgeTelemetry
{
    /// <summary>
    /// The edge's meter and activity source (both <c>RealtimeAspire.Edge</c>); ServiceDefaults exports every
    /// <c>RealtimeAspire.*</c> meter and source over OTLP and on <c>/metrics</c>.
    /// </summary>
    public static IHostApplicationBuilder AddEdgeTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<EdgeMetrics>();
        return builder;
    }
}
