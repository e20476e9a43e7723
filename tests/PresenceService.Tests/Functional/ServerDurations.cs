using System.Globalization;

namespace RealtimeAspire.PresenceService.Tests.Functional;

/// <summary>
/// How long a service took to answer one route, from its own <c>http.server.request.duration</c> histogram on
/// <c>/metrics</c> (Prometheus, cumulative buckets): the service's time, without the client's scheduling.
/// </summary>
public sealed record ServerDurations(IReadOnlyDictionary<double, double> Buckets)
{
    public double Count => Buckets.TryGetValue(double.PositiveInfinity, out var all) ? all : 0;

    public static async Task<ServerDurations> ReadAsync(Uri service, string route)
    {
        var buckets = new Dictionary<double, double>();
        foreach (var line in await PrometheusText.ReadAsync(service))
        {
            if (!line.StartsWith("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal)
                || !line.Contains($"http_route=\"{route}\"", StringComparison.Ordinal))
            {
                continue;
            }
            var le = line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
            le = le[..le.IndexOf('"', StringComparison.Ordinal)];
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            buckets[bound] = buckets.GetValueOrDefault(bound) + PrometheusText.Value(line);
        }
        return new ServerDurations(buckets);
    }

    /// <summary>The requests counted here and not in <paramref name="earlier"/>.</summary>
    public ServerDurations Since(ServerDurations earlier) =>
        new(Buckets.ToDictionary(b => b.Key, b => b.Value - earlier.Buckets.GetValueOrDefault(b.Key)));

    /// <summary>The share of requests answered within <paramref name="seconds"/> (a bucket bound).</summary>
    public double ShareWithin(double seconds) => Count == 0 ? 1 : Buckets.GetValueOrDefault(seconds) / Count;
}
