using System.Net;
using System.Net.Sockets;

namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>
/// Free loopback ports for the resources, chosen once per AppHost so that a restarted process gets the address its
/// consumers were given (Aspire picks a new port at every start of a proxy-less endpoint), never the same one twice.
/// Ports are taken below the kernel's ephemeral range: a port the OS hands out for port 0 is also what it gives outgoing connections, so one
/// chosen there can be taken by some client's socket before the resource binds it, and the resource then fails to
/// start for as long as the AppHost runs.
/// </summary>
public static class LocalPortAllocator
{
    private const int LowestPort = 10000;
    private static readonly HashSet<int> s_given = [];
    private static readonly Lock s_gate = new();

    public static int GetFreePort()
    {
        lock (s_gate)
        {
            var (ephemeralLow, _) = EphemeralRange();
            if (ephemeralLow - LowestPort >= 1000)
            {
                for (var attempt = 0; attempt < 1000; attempt++)
                {
                    var port = Random.Shared.Next(LowestPort, ephemeralLow);
                    if (!s_given.Contains(port) && IsFree(port))
                    {
                        s_given.Add(port);
                        return port;
                    }
                }
            }
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (s_given.Add(port))
                {
                    return port;
                }
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The kernel's ephemeral port range (Linux), or an empty range below which nothing is chosen.</summary>
    private static (int Low, int High) EphemeralRange()
    {
        const string path = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(path)
            && File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is [var low, var high]
            && int.TryParse(low, out var l) && int.TryParse(high, out var h))
        {
            return (l, h);
        }
        return (LowestPort, LowestPort);
    }
}
