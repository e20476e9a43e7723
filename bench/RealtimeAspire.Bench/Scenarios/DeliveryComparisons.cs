using RealtimeAspire.Bench.Reporting;
using RealtimeAspire.Bench.Topology;

namespace RealtimeAspire.Bench.Scenarios;

/// <summary>
/// Product vs the references (raw, SignalR) over one or more alternating rounds: each figure is the median of its rounds.
/// </summary>
internal static class DeliveryComparisons
{
    /// <summary>
    /// Runs a delivery scenario for <c>--rounds</c> rounds, the reference, SignalR and the product in each (those that
    /// are on), and returns every run in that order with the product/reference and product/SignalR medians.
    /// </summary>
    public static async Task<(IReadOnlyList<object>, IReadOnlyList<Comparison>)> RunRoundsAsync(
        BenchContext context, Func<BenchContext, Target, CancellationToken, Task<DeliveryRun>> runOnce, CancellationToken cancellationToken)
    {
        var o = context.Options;
        var products = new List<DeliveryRun>();
        var references = new List<DeliveryRun>();
        var signalRs = new List<DeliveryRun>();
        var runs = new List<object>();
        await using var host = o.Reference ? await context.StartReferenceAsync(o.ReferenceInstances, cancellationToken) : null;
        await using var signalR = o.SignalR ? await context.StartSignalRAsync(o.ReferenceInstances, cancellationToken) : null;
        for (var round = 1; round <= o.Rounds; round++)
        {
            if (o.Rounds > 1)
            {
                Console.WriteLine($"round {round} of {o.Rounds}");
            }
            if (host is not null)
            {
                references.Add(await runOnce(context, BenchContext.Reference(host), cancellationToken));
                runs.Add(references[^1]);
            }
            if (signalR is not null)
            {
                signalRs.Add(await runOnce(context, BenchContext.SignalR(signalR), cancellationToken));
                runs.Add(signalRs[^1]);
            }
            products.Add(await runOnce(context, context.Product(), cancellationToken));
            runs.Add(products[^1]);
        }
        return (runs, [.. references.Count == 0 ? [] : Medians(products, references), .. signalRs.Count == 0 ? [] : Medians(products, signalRs, " vs signalr")]);
    }

    /// <summary>Product vs one reference; <paramref name="suffix"/> names a reference other than the raw one.</summary>
    public static IReadOnlyList<Comparison> Medians(IReadOnlyList<DeliveryRun> products, IReadOnlyList<DeliveryRun> references, string suffix = "") =>
    [
        new("latency p50 ms" + suffix, Median(products, r => r.Latency.P50Ms), Median(references, r => r.Latency.P50Ms)),
        new("latency p90 ms" + suffix, Median(products, r => r.Latency.P90Ms), Median(references, r => r.Latency.P90Ms)),
        new("latency p99 ms" + suffix, Median(products, r => r.Latency.P99Ms), Median(references, r => r.Latency.P99Ms)),
        new("latency p99.9 ms" + suffix, Median(products, r => r.Latency.P999Ms), Median(references, r => r.Latency.P999Ms)),
        new("deliveries/s" + suffix, Median(products, r => r.DeliveriesPerSecond), Median(references, r => r.DeliveriesPerSecond)),
        new("lost (sum)" + suffix, products.Sum(r => r.Deliveries.Lost), references.Sum(r => r.Deliveries.Lost)),
        new("duplicates (sum)" + suffix, products.Sum(r => r.Deliveries.Duplicates), references.Sum(r => r.Deliveries.Duplicates)),
        new("connects/s" + suffix, Median(products, r => r.ConnectsPerSecond), Median(references, r => r.ConnectsPerSecond)),
    ];

    internal static double Median<T>(IReadOnlyList<T> runs, Func<T, double> figure)
    {
        var sorted = runs.Select(figure).Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
