using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace RealtimeAspire.EdgeProxy.Transport;

public static class EdgeTransport
{
    /// <summary>The runtimeconfig property Edge.Proxy.csproj sets to 0.</summary>
    public const string SpinLimitSwitch = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>The runtime's environment switch that runs socket completions on the epoll thread (read once, at start).</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Applies <see cref="EdgeTransportOptions"/> to Kestrel's socket transport. The other half of the per-frame
    /// tuning is in Edge.Proxy.csproj (the thread pool's workers do not spin waiting for work), because the runtime
    /// reads it before any code runs.
    /// </summary>
    public static IHostApplicationBuilder AddEdgeTransport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeTransportOptions>().BindConfiguration(EdgeTransportOptions.SectionName);
        builder.Services.AddOptions<SocketTransportOptions>()
            .Configure<IOptions<EdgeTransportOptions>>((socket, options) => socket.UnsafePreferInlineScheduling = options.Value.InlineScheduling);
        builder.Services.AddHostedService<TransportSchedulingReport>();
        return builder;
    }
}
