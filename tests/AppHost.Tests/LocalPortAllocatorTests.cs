using System.Net;
using System.Net.Sockets;
using RealtimeAspire.AppHost.LocalInfrastructure;

namespace RealtimeAspire.AppHost.Tests;

public sealed class LocalPortAllocatorTests
{
    [Fact]
    public void PortsAreFreeDistinctAndOutsideTheEphemeralRangeOutgoingConnectionsUse()
    {
        var ephemeralLow = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        var ports = Enumerable.Range(0, 50).Select(_ => LocalPortAllocator.GetFreePort()).ToArray();

        Assert.Equal(ports.Length, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 1024, ephemeralLow - 1));
        using var listener = new TcpListener(IPAddress.Loopback, ports[0]);
        listener.Start();
    }
}
