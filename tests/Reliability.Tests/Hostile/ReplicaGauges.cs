using System.Globalization;

namespace RealtimeAspire.Reliability.Tests.Hostile;

/// <summary>What the replica reports about itself: its open connections (from <c>/metrics</c>) and its resident memory (from /proc).</summary>
public static class ReplicaGauges
{
    /// <summary>The sum of <c>realtime_connections</c> over transports (the exporter may answer from a scrape a moment old: wait on it, bounded).</summary>
    public static async Task<long> ConnectionsAsync(Uri replica)
    {
        using var http = new HttpClient { BaseAddress = replica, Timeout = TimeSpan.FromSeconds(10) };
        var metrics = await http.GetStringAsync("/metrics");
        return metrics.Split('\n')
            .Where(l => l.StartsWith("realtime_connections{", StringComparison.Ordinal) || l.StartsWith("realtime_connections ", StringComparison.Ordinal))
            // "name{labels} value [timestamp]"
            .Sum(l => (long)double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
    }

    /// <summary>VmRSS of a process, in MiB, read from <c>/proc/{pid}/status</c>.</summary>
    public static double ResidentMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kib = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kib / 1024.0;
    }
}
