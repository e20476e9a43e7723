using Microsoft.Extensions.Options;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Transports.ServerSentEvents;

/// <summary>
/// One timer for every SSE stream instead of one per stream: each tick queues a heartbeat into the streams that
/// wrote nothing for <see cref="TransportOptions.SseHeartbeatInterval"/>. A per-stream timeout would cancel (and
/// throw) once per stream per interval, in step for streams opened together: thousands of exceptions at once.
/// </summary>
public sealed class SseHeartbeats(ConnectionRegistry registry, IOptions<TransportOptions> options, TimeProvider time) : BackgroundService
{
    private static readonly OutboundFrame Heartbeat = new(FrameKind.Heartbeat, ReadOnlyMemory<byte>.Empty);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SseHeartbeatInterval;
        using var timer = new PeriodicTimer(interval / 2, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = time.GetTimestamp();
            foreach (var connection in registry.All)
            {
                if (connection is ServerSentEventsConnection stream && time.GetElapsedTime(stream.LastWrite, now) >= interval)
                {
                    stream.TryEnqueue(Heartbeat);
                }
            }
        }
    }
}
