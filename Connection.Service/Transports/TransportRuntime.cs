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

    /// <summary>
    /// A frame went out on <paramref name="transport"/>: counted. (The fan-out latency is recorded once per message by
    /// <see cref="Fanout.ChannelFanout"/>, not per frame: one histogram point taken by every send loop was 4 % of a
    /// replica's CPU at capacity.)
    /// </summary>
    public void MessageSent(string transport, in OutboundFrame frame) => Metrics.MessageOut(transport);
}
