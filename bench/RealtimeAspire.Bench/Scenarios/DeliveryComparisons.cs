using RealtimeAspire.Bench.Reporting;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>Product vs reference over one or more alternating rounds: each figure is the median of its rounds.</summary>
internal static class DeliveryComparisons
{
    public static IReadOnlyList<Comparison> Medians(IReadOnlyList<DeliveryRun> products, IReadOnlyList<DeliveryRun> references) =>
    [
        new("latency p50 ms", Median(products, r => r.Latency.P50Ms), Median(references, r => r.Latency.P50Ms)),
        new("latency p90 ms", Median(products, r => r.Latency.P90Ms), Median(references, r => r.Latency.P90Ms)),
        new("latency p99 ms", Median(products, r => r.Latency.P99Ms), Median(references, r => r.Latency.P99Ms)),
        new("latency p99.9 ms", Median(products, r => r.Latency.P999Ms), Median(references, r => r.Latency.P999Ms)),
        new("deliveries/s", Median(products, r => r.DeliveriesPerSecond), Median(references, r => r.DeliveriesPerSecond)),
        new("lost (sum)", products.Sum(r => r.Deliveries.Lost), references.Sum(r => r.Deliveries.Lost)),
        new("duplicates (sum)", products.Sum(r => r.Deliveries.Duplicates), references.Sum(r => r.Deliveries.Duplicates)),
        new("connects/s", Median(products, r => r.ConnectsPerSecond), Median(references, r => r.ConnectsPerSecond)),
    ];

    internal static double Median(IReadOnlyList<DeliveryRun> runs, Func<DeliveryRun, double> figure)
    {
        var sorted = runs.Select(figure).Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
