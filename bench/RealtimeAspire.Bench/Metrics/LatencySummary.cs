namespace RealtimeAspire.Bench.Metrics;

/// <summary>Percentiles in milliseconds, as printed and written to JSON.</summary>
internal sealed record LatencySummary(long Count, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs)
{
    public static LatencySummary From(LatencyHistogram histogram) => new(
        histogram.Count,
        Ms(histogram.Percentile(50)),
        Ms(histogram.Percentile(90)),
        Ms(histogram.Percentile(99)),
        Ms(histogram.Percentile(99.9)),
        Ms(histogram.MaxMicroseconds),
        Ms(histogram.MeanMicroseconds));

    private static double Ms(double microseconds) => Math.Round(microseconds / 1000.0, 3);
}
