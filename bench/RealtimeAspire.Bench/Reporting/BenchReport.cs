namespace RealtimeAspire.Bench.Reporting;

/// <summary>
/// The JSON written by <c>--out</c>: the invocation, each run's result, and product/reference ratios; for a scenario
/// without a reference (<c>presence</c>), the medians of its rounds instead.
/// </summary>
internal sealed record BenchReport(
    string Scenario,
    string Via,
    DateTimeOffset StartedAt,
    int ProcessorCount,
    IReadOnlyDictionary<string, object> Parameters,
    IReadOnlyList<object> Runs,
    IReadOnlyList<Comparison> Comparisons,
    IReadOnlyDictionary<string, double>? Medians = null);
