using Microsoft.Extensions.Options;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;

namespace RealtimeAspire.ConnectionService.Transports;

/// <summary>What a transport's connection runs on: its limits and timings, its metrics and log, the clock.</summary>
public sealed class TransportRuntime(IOptions<ConnectionLimitsOptions> limits, IOptions<TransportOptions> transport, ConnectionMetrics metrics, TimeProvider time, ILoggerFactory loggers)
{
    public ConnectionLimitsOptions Limits { get; } = limits.Value;
    public TransportOptions Transport { get; } = transport.Value;
    public ConnectionMetrics Metrics { get; } = metrics;
    public TimeProvider Time { get; } = time;
    public ILogger Logger { get; } = loggers.CreateLogger("RealtimeAspire.ConnectionService.Connections");

    /// <summary>A frame went out on <paramref name="transport"/>: counted, and a published message's fan-out latency recorded.</summary>
    public void MessageSent(string transport, in OutboundFrame frame)
    {
        Metrics.MessageOut(transport);
        if (frame.PublishedAtMs > 0)
        {
            Metrics.FanoutLatency(Time.GetUtcNow().ToUnixTimeMilliseconds() - frame.PublishedAtMs);
        }
    }
}
