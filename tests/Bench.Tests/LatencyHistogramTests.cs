using RealtimeAspire.Bench.Metrics;

namespace RealtimeAspire.Bench.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void SmallValuesGiveExactNearestRankPercentiles()
    {
        var histogram = new LatencyHistogram();
        for (var v = 1; v <= 100; v++)
        {
            histogram.Record(v);
        }
        Assert.Equal(50, histogram.Percentile(50));
        Assert.Equal(90, histogram.Percentile(90));
        Assert.Equal(99, histogram.Percentile(99));
        Assert.Equal(100, histogram.Percentile(99.9));
        Assert.Equal(100, histogram.MaxMicroseconds);
        Assert.Equal(50.5, histogram.MeanMicroseconds);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(90)]
    [InlineData(99)]
    [InlineData(99.9)]
    public void LargeValuesAreWithinHalfAPercentOfTheExactPercentile(double p)
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 100_000).Select(_ => (long)(random.NextDouble() * random.NextDouble() * 5_000_000)).ToArray();
        var histogram = new LatencyHistogram();
        foreach (var v in values)
        {
            histogram.Record(v);
        }
        Array.Sort(values);
        var exact = values[(int)Math.Ceiling(p / 100 * values.Length) - 1];
        Assert.InRange(histogram.Percentile(p), exact * 0.995, exact * 1.005 + 1);
    }

    [Fact]
    public void PercentilesNeverExceedTheMaximum()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1_000_001);
        Assert.Equal(1_000_001, histogram.Percentile(100));
        Assert.Equal(1_000_001, histogram.Percentile(50));
    }

    [Fact]
    public void AnEmptyHistogramReportsZero()
    {
        var summary = LatencySummary.From(new LatencyHistogram());
        Assert.Equal(0, summary.Count);
        Assert.Equal(0, summary.P99Ms);
    }

    [Fact]
    public void NegativeSamplesCountAsZero()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-5);
        Assert.Equal(0, histogram.Percentile(100));
    }

    [Fact]
    public void BucketIndexIsMonotonicAndItsMiddleStaysInsideTheBucket()
    {
        var previous = -1;
        for (long v = 0; v < 5_000_000; v += 997)
        {
            var index = LatencyHistogram.IndexOf(v);
            Assert.True(index >= previous);
            previous = index;
            Assert.InRange(LatencyHistogram.MiddleOf(index), v * 0.99, v * 1.01 + 1);
        }
    }

    [Fact]
    public void SummaryIsInMilliseconds()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1500);
        var summary = LatencySummary.From(histogram);
        Assert.InRange(summary.P50Ms, 1.49, 1.51);
        Assert.Equal(1.5, summary.MaxMs);
    }
}
