using System.Globalization;

namespace RealtimeAspire.Bench.Topology;

/// <summary>Resident memory of a process from <c>/proc/{pid}/status</c> (VmRSS).</summary>
internal static class ProcessMemory
{
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"no VmRSS in /proc/{pid}/status");
    }
}
