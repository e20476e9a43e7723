using System.Globalization;

namespace RealtimeAspire.Reliability.Tests.Storms;

/// <summary>One scrape of a Prometheus text exposition: its sample lines, by metric name.</summary>
public sealed class PrometheusSample
{
    private readonly List<(string Name, string Labels, double Value)> _samples = [];

    public static PrometheusSample Parse(string text)
    {
        var sample = new PrometheusSample();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            // "name{labels} value [timestamp]": the value is the first token after the name and labels.
            var end = brace >= 0 ? line.IndexOf('}', brace) + 1 : line.IndexOf(' ', StringComparison.Ordinal);
            if (end <= 0 || space < end)
            {
                continue;
            }
            var name = brace >= 0 ? line[..brace] : line[..end];
            var labels = brace >= 0 ? line[brace..end] : "";
            var values = line[end..].Trim().Split(' ');
            if (double.TryParse(values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                sample._samples.Add((name, labels, value));
            }
        }
        return sample;
    }

    /// <summary>The sum of <paramref name="name"/>'s samples whose labels contain <paramref name="labelText"/> (all when null).</summary>
    public double Sum(string name, string? labelText) => _samples
        .Where(s => s.Name == name && (labelText is null || s.Labels.Contains(labelText, StringComparison.Ordinal)))
        .Sum(s => s.Value);

    public IEnumerable<string> Names => _samples.Select(s => s.Name).Distinct();
}
