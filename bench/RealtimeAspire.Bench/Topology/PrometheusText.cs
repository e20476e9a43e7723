using System.Globalization;

namespace RealtimeAspire.Bench.Topology;

/// <summary>Sums the samples of one metric family in Prometheus text exposition (all label sets).</summary>
internal static class PrometheusText
{
    public static double Sum(string exposition, string metric)
    {
        double sum = 0;
        foreach (var line in exposition.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty || line[0] == '#' || !line.StartsWith(metric, StringComparison.Ordinal))
            {
                continue;
            }
            var rest = line[metric.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' '))
            {
                continue; // another family whose name starts the same
            }
            var value = line[(line.LastIndexOf('}') + 1)..].Trim();
            var space = value.IndexOf(' ');
            if (space > 0)
            {
                value = value[..space]; // a timestamp follows
            }
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                sum += parsed;
            }
        }
        return sum;
    }
}
