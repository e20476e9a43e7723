using System.Globalization;

namespace RealtimeAspire.PresenceService.Tests.Functional;

/// <summary>A service's Prometheus <c>/metrics</c> text, read line by line: the service's own figures, not the client's.</summary>
public static class PrometheusText
{
    public static async Task<string[]> ReadAsync(Uri service)
    {
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(30) };
        return (await http.GetStringAsync("/metrics")).Split('\n');
    }

    /// <summary>The value of a sample line: <c>name{labels} value [timestamp]</c>.</summary>
    public static double Value(string line) =>
        double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>The sum of one metric's series (0 before its first measurement, when it has none).</summary>
    public static async Task<double> SumAsync(Uri service, string metric) =>
        (await ReadAsync(service))
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Sum(Value);
}
