using System.Diagnostics;

namespace RealtimeAspire.EdgeProxy.Telemetry;

/// <summary>The edge's one <see cref="ActivitySource"/>, named like its meter; ServiceDefaults exports every <c>RealtimeAspire.*</c> source.</summary>
public static class EdgeActivitySource
{
    public const string Name = EdgeMetrics.MeterName;

    public static readonly ActivitySource Instance = new(Name);
}
