using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;

namespace RealtimeAspire.Reliability.Tests.Storms;

/// <summary>
/// What a replica's process looks like from outside: <c>/health</c>, its Prometheus <c>/metrics</c>, its threads and
/// sockets from <c>/proc</c>, and its managed heap after a full collection (induced over EventPipe, as
/// <c>dotnet-gcdump</c> does, so a heap that merely has not been collected yet is not taken for a leak).
/// </summary>
public sealed class ReplicaProbe(Uri replica, int processId) : IDisposable
{
    // GC | GCHeapCollect: enabling GCHeapCollect makes the runtime run a blocking gen2 collection.
    private const long GcHeapCollectKeywords = 0x1 | 0x800000;

    private readonly HttpClient _http = new() { BaseAddress = replica, Timeout = TimeSpan.FromSeconds(5) };

    public int ProcessId { get; } = processId;

    /// <summary><c>/health</c>'s status code, or 0 when it did not answer within 5 s.</summary>
    public async Task<int> HealthAsync()
    {
        try
        {
            using var response = await _http.GetAsync("/health");
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    public async Task<PrometheusSample> MetricsAsync() => PrometheusSample.Parse(await _http.GetStringAsync("/metrics"));

    /// <summary>Threads, resident memory and open sockets of the process, from <c>/proc</c>.</summary>
    public ProcessSample Process()
    {
        long threads = 0, rssKb = 0;
        foreach (var line in File.ReadLines($"/proc/{ProcessId}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = long.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rssKb = long.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
        }
        var sockets = new DirectoryInfo($"/proc/{ProcessId}/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);
        return new ProcessSample(threads, rssKb / 1024.0, sockets);
    }

    /// <summary>
    /// Runs a full blocking collection in the replica and returns the managed heap after it, in MB, by generation
    /// (<c>gen0</c>, <c>gen1</c>, <c>gen2</c>, <c>loh</c>, <c>poh</c>).
    /// </summary>
    public async Task<HeapSample> HeapAfterFullCollectionAsync(TimeSpan timeout)
    {
        var before = (await MetricsAsync()).Sum("dotnet_gc_collections_total", "gen2");
        var client = new DiagnosticsClient(ProcessId);
        using var session = await client.StartEventPipeSessionAsync(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcHeapCollectKeywords)],
            requestRundown: false, circularBufferMB: 16, CancellationToken.None);
        var draining = session.EventStream.CopyToAsync(Stream.Null);
        try
        {
            await Testing.BoundedWait.UntilAsync(async () => (await MetricsAsync()).Sum("dotnet_gc_collections_total", "gen2") > before,
                timeout, "an induced full collection in the replica");
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await draining.WaitAsync(TimeSpan.FromSeconds(10));
        }
        var metrics = await MetricsAsync();
        string[] generations = ["gen0", "gen1", "gen2", "loh", "poh"];
        return new HeapSample(
            generations.ToDictionary(g => g, g => metrics.Sum("dotnet_gc_last_collection_heap_size_bytes", $"\"{g}\"") / (1024.0 * 1024.0)),
            generations.ToDictionary(g => g, g => metrics.Sum("dotnet_gc_last_collection_fragmentation_size_bytes", $"\"{g}\"") / (1024.0 * 1024.0)));
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The managed heap after a full collection, MB by generation: its size and the free space (fragmentation) in it.</summary>
public sealed record HeapSample(IReadOnlyDictionary<string, double> Generations, IReadOnlyDictionary<string, double> Fragmentation)
{
    /// <summary>
    /// Live objects: each generation's size less its free space (a sweeping collection leaves the holes between pinned
    /// socket buffers in place), the pinned object heap left out — Kestrel's and the sockets' buffer pools live there,
    /// and a pool that keeps its blocks for the next connections is reuse, not a leak (it trims them itself when idle).
    /// </summary>
    public double ObjectsMb => Generations.Where(g => g.Key != "poh").Sum(g => g.Value - Fragmentation.GetValueOrDefault(g.Key));

    public override string ToString() =>
        string.Join(", ", Generations.Select(g => $"{g.Key} {g.Value:0.0} (free {Fragmentation.GetValueOrDefault(g.Key):0.0})")) + $" MB; live objects outside the pinned heap {ObjectsMb:0.0} MB";
}

public sealed record ProcessSample(long Threads, double RssMb, int Sockets)
{
    public override string ToString() => $"threads {Threads}, RSS {RssMb:0} MB, sockets {Sockets}";
}
