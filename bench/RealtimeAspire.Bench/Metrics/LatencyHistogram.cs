using System.Numerics;

namespace RealtimeAspire.Bench.Metrics;

/// <summary>
/// Log-linear histogram of microseconds, safe to record into from many receive loops at once (one interlocked
/// increment per sample, no allocation). Values below 256 µs are exact; above, each power of two is split into
/// 128 buckets (relative error under 0.4 %). The maximum is kept exactly.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int LinearLimit = 256;
    private const int SubBuckets = 128;
    private const int MaxExponent = 40; // 2^40 µs ≈ 12.7 days
    private readonly long[] _counts = new long[LinearLimit + ((MaxExponent - 7) * SubBuckets)];
    private long _count;
    private long _max;
    private long _sum;

    public long Count => Interlocked.Read(ref _count);

    public long MaxMicroseconds => Interlocked.Read(ref _max);

    public double MeanMicroseconds => Count == 0 ? 0 : (double)Interlocked.Read(ref _sum) / Count;

    public void Record(long microseconds)
    {
        if (microseconds < 0)
        {
            microseconds = 0;
        }
        Interlocked.Increment(ref _counts[IndexOf(microseconds)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, microseconds);
        var max = Interlocked.Read(ref _max);
        while (microseconds > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, microseconds, max);
            if (seen == max)
            {
                break;
            }
            max = seen;
        }
    }

    /// <summary>Nearest-rank percentile (0 &lt; p ≤ 100), as the middle of its bucket, never above the maximum.</summary>
    public double Percentile(double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 100);
        var count = Count;
        if (count == 0)
        {
            return 0;
        }
        var rank = (long)Math.Ceiling(p / 100 * count);
        long cumulative = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            if (cumulative >= rank)
            {
                return Math.Min(MiddleOf(i), MaxMicroseconds);
            }
        }
        return MaxMicroseconds;
    }

    internal static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }
        var msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        if (msb > MaxExponent)
        {
            return LinearLimit + ((MaxExponent - 7) * SubBuckets) - 1;
        }
        var shift = msb - 7;
        return LinearLimit + ((msb - 8) * SubBuckets) + (int)((value >> shift) - SubBuckets);
    }

    internal static double MiddleOf(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }
        var offset = index - LinearLimit;
        var shift = (offset / SubBuckets) + 1;
        var lower = (long)((offset % SubBuckets) + SubBuckets) << shift;
        return lower + (((1L << shift) - 1) / 2.0);
    }
}
