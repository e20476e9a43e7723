using System.Net;
using System.Net.Sockets;

namespace RealtimeAspire.Hosting.Orchestration;

/// <summary>Free loopback ports, never the same one twice in one AppHost.</summary>
public static class PortAllocator
{
    private static readonly HashSet<int> s_given = [];
    private static readonly Lock s_gate = new();

    public static int GetFreePort()
    {
        lock (s_gate)
        {
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
}
