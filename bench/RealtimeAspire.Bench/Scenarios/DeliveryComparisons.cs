using RealtimeAspire.Bench.Reporting;
using RealtimeAspire.Bench.Topology;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>Product vs reference over one or more alternating rounds: each figure is the median of its rounds.</summary>
internal static class DeliveryComparisons
{
    /// <summary>
    /// Runs a delivery scenario for <c>--rounds</c> rounds, reference then product in each (when the reference is on),
    /// and returns every run, paired in that order, with the product/reference medians.
    /// </summary>
    public static async Task<(IReadOnlyList<object>, IReadOnlyList<Comparison>)> RunRoundsAsync(
        BenchContext context, Func<BenchContext, Target, CancellationToken, Task<DeliveryRun>> runOnce, CancellationToken cancellationToken)
    {
        var o = context.Options;
        var products = new List<DeliveryRun>();
        var references = new List<DeliveryRun>();
        await using var host = o.Reference ? await context.StartReferenceAsync(o.ReferenceInstances, cancellationToken) : null;
        for (var round = 1; round <= o.Rounds; round++)
        {
            if (o.Rounds > 1)
            {
                Console.WriteLine($"round {round} of {o.Rounds}");
            }
            if (host is not null)
            {
                references.Add(await runOnce(context, BenchContext.Reference(host), cancellationToken));
            }
            products.Add(await runOnce(context, context.Product(), cancellationToken));
        }
        return ([.. references.Zip(products, (r, p) => new object[] { r, p }).SelectMany(x => x), .. products.Skip(references.Count)],
            references.Count == 0 ? [] : Medians(products, references));
    }

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
