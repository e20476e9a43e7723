using System.Text.Json;
using RealtimeAspire.Bench.Metrics;
using RealtimeAspire.Bench.Reporting;
using RealtimeAspire.Bench.Scenarios;
using RealtimeAspire.Bench.Topology;

namespace RealtimeAspire.Bench.Tests;

public class ReportShapeTests
{
    private static DeliveryRun Run(string target, double p99) => new(target, 1000, 0, 500, 400, 20,
        new LatencySummary(400_000, 1, 2, p99, 10, 12, 1.2), 20_000, new DeliveryTotals(400_000, 400_000, 0, 0, 0), null);

    [Fact]
    public void JsonHasTheDocumentedShape()
    {
        var product = Run("product (direct)", 6);
        var reference = Run("reference", 4);
        var report = new BenchReport("fanout", "direct", DateTimeOffset.UnixEpoch, 2,
            new Dictionary<string, object> { ["subscribers"] = 1000 }, [reference, product], DeliveryComparisons.Medians([product], [reference]));
        using var json = JsonDocument.Parse(ReportWriter.Serialize(report));
        var root = json.RootElement;
        Assert.Equal("fanout", root.GetProperty("scenario").GetString());
        Assert.Equal("direct", root.GetProperty("via").GetString());
        Assert.Equal(2, root.GetProperty("processorCount").GetInt32());
        Assert.Equal(1000, root.GetProperty("parameters").GetProperty("subscribers").GetInt32());
        var run = root.GetProperty("runs")[1];
        Assert.Equal("product (direct)", run.GetProperty("target").GetString());
        Assert.Equal(6, run.GetProperty("latency").GetProperty("p99Ms").GetDouble());
        Assert.Equal(0, run.GetProperty("deliveries").GetProperty("lost").GetInt64());
        Assert.False(run.TryGetProperty("publishAck", out _)); // nulls are left out
        var p99 = root.GetProperty("comparisons").EnumerateArray().Single(c => c.GetProperty("metric").GetString() == "latency p99 ms");
        Assert.Equal(1.5, p99.GetProperty("ratio").GetDouble());
    }

    [Fact]
    public void MediansOfRoundsAreCompared()
    {
        var comparisons = DeliveryComparisons.Medians([Run("p", 6), Run("p", 100), Run("p", 5)], [Run("r", 4), Run("r", 3), Run("r", 50)]);
        var p99 = comparisons.Single(c => c.Metric == "latency p99 ms");
        Assert.Equal((6.0, 4.0, 1.5), (p99.Product, p99.Reference, p99.Ratio!.Value));
        Assert.Equal(3.5, DeliveryComparisons.Median([Run("a", 3), Run("b", 4)], r => r.Latency.P99Ms));
    }

    [Fact]
    public void RatioIsAbsentWhenTheReferenceIsZero() => Assert.Null(new Comparison("lost", 0, 0).Ratio);

    [Fact]
    public void PersistSummaryFindsRateLagAndPeak()
    {
        PersistSample[] samples = [new(0, 0, 0), new(0.5, 1000, 5000), new(1.0, 3000, 3000), new(1.5, 5000, 1000), new(2.0, 6000, 0)];
        var run = PersistScenario.Summarize("p", 1, 1, 6000, 6000, 0, 1, new LatencySummary(0, 0, 0, 0, 0, 0, 0), samples);
        Assert.Equal(6000, run.Persisted);
        Assert.Equal(2.0, run.PersistSeconds);
        Assert.Equal(3000, run.PersistedPerSecond);
        Assert.Equal(4000, run.PeakPersistedPerSecond);
        Assert.Equal(2.0, run.SecondsToZeroLag);
        Assert.Equal(0, run.FinalLag);
    }

    [Fact]
    public void PrometheusFamiliesAreSummedOverLabels()
    {
        const string text = """
            # TYPE realtime_messages_consumer_lag gauge
            realtime_messages_consumer_lag{partition="0"} 3
            realtime_messages_consumer_lag{partition="1"} 4 1700000000
            realtime_messages_consumer_lag_other 100
            realtime_messages_persisted_total{otel_scope_name="x"} 240
            """;
        Assert.Equal(7, PrometheusText.Sum(text, "realtime_messages_consumer_lag"));
        Assert.Equal(240, PrometheusText.Sum(text, "realtime_messages_persisted_total"));
    }

    [Fact]
    public void TableAlignsColumns()
    {
        var text = new ConsoleTable("a", "bb").Add("xyz", 1.5).Add(null, 12345.6).ToString();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Equal(lines[0].Length, l.Length));
        Assert.Contains("12346", text, StringComparison.Ordinal);
        Assert.Contains("–", text, StringComparison.Ordinal);
    }
}
