namespace RealtimeAspire.Bench.Reporting;

/// <summary>One figure of the product next to the reference's from the same invocation; ratio = product / reference.</summary>
internal sealed record Comparison(string Metric, double Product, double Reference)
{
    public double? Ratio => Reference == 0 ? null : Math.Round(Product / Reference, 3);
}
