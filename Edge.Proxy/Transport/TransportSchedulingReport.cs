using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace RealtimeAspire.EdgeProxy.Transport;

/// <summary>
/// Logs once at start-up how forwarded frames are scheduled: each of the three settings changes the edge's CPU per
/// frame, two of them come from outside configuration (runtimeconfig, environment), and an operator comparing two
/// edges needs to see which ones they run with.
/// </summary>
internal sealed class TransportSchedulingReport(IOptions<SocketTransportOptions> socket, ILogger<TransportSchedulingReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var spinLimit = Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit")
            ?? AppContext.GetData(EdgeTransport.SpinLimitSwitch)?.ToString()
            ?? "runtime default";
        TransportLog.Scheduling(logger, socket.Value.UnsafePreferInlineScheduling, spinLimit,
            Environment.GetEnvironmentVariable(EdgeTransport.InlineCompletionsVariable) == "1");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
