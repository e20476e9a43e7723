using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RealtimeAspire.EdgeProxy.Transport;

namespace RealtimeAspire.EdgeProxy.Tests.Transport;

public sealed class EdgeTransportTests
{
    [Fact]
    public void KestrelSendsInlineByDefault()
    {
        Assert.True(SocketOptions([]).UnsafePreferInlineScheduling);
    }

    [Fact]
    public void InlineSchedulingCanBeTurnedOffByConfiguration()
    {
        Assert.False(SocketOptions(new() { ["Edge:Transport:InlineScheduling"] = "false" }).UnsafePreferInlineScheduling);
    }

    /// <summary>The spin limit is read by the runtime before any code runs: it has to be in the edge's runtimeconfig.</summary>
    [Fact]
    public void TheEdgesThreadPoolWorkersDoNotSpin()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Edge.Proxy.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty(EdgeTransport.SpinLimitSwitch).GetInt32());
    }

    private static SocketTransportOptions SocketOptions(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEdgeTransport();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
    }
}
