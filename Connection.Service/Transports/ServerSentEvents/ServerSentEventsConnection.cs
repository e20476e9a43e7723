using System.Text;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;

namespace RealtimeAspire.ConnectionService.Transports.ServerSentEvents;

/// <summary>
/// One <c>text/event-stream</c>. Each durable message event carries an <c>id:</c> with the positions of all the
/// stream's channels, so the browser's automatic <c>Last-Event-ID</c> resumes every channel; comment heartbeats
/// keep idle streams alive through proxies.
/// </summary>
public sealed class ServerSentEventsConnection(RealtimeUser user, TransportServices services)
    : RealtimeConnection(TransportNames.ServerSentEvents, user, services.Limits)
{
    private static readonly byte[] s_heartbeat = ": heartbeat\n\n"u8.ToArray();
    private static readonly byte[] s_eventEnd = "\n\n"u8.ToArray();

    /// <summary>Positions of the durable channels, as of the last event written.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> Positions { get; } = new(StringComparer.Ordinal);

    protected override void OnSlowConsumer()
    {
        services.Metrics.SlowConsumerClosed(Transport);
        services.Logger.SlowConsumer(Id, User.Id, QueuedFrames);
    }

    public static async Task WritePreambleAsync(HttpResponse response, int retryMilliseconds, byte[] welcome, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"retry: {retryMilliseconds}\n\n", cancellationToken);
        await WriteEventAsync(response.BodyWriter, "welcome", null, welcome, cancellationToken);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>When the stream last wrote (a <see cref="TimeProvider"/> timestamp): <see cref="SseHeartbeats"/> keeps idle ones alive.</summary>
    public long LastWrite { get; private set; } = services.Time.GetTimestamp();

    public async Task RunAsync(HttpResponse response, CancellationToken requestAborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, Closing);
        var reader = Outbound;
        var body = response.BodyWriter;
        try
        {
            while (await reader.WaitToReadAsync(stop.Token))
            {
                while (reader.TryRead(out var frame))
                {
                    await WriteFrameAsync(body, frame, stop.Token);
                }
                await body.FlushAsync(stop.Token);
                LastWrite = services.Time.GetTimestamp();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // The client went away mid-write.
        }
    }

    private async ValueTask WriteFrameAsync(System.IO.Pipelines.PipeWriter body, OutboundFrame frame, CancellationToken cancellationToken)
    {
        if (frame.Kind == FrameKind.Heartbeat)
        {
            await body.WriteAsync(s_heartbeat, cancellationToken);
            return;
        }
        string? id = null;
        if (frame is { Kind: FrameKind.Message, Seq: > 0, Channel: { } channel })
        {
            Positions[channel] = frame.Seq;
            id = StreamPositions.Format(Positions);
        }
        await WriteEventAsync(body, EventName(frame), id, frame.Json, cancellationToken);
        services.Metrics.MessageOut(Transport);
        if (frame.PublishedAtMs > 0)
        {
            services.Metrics.FanoutLatency(services.Time.GetUtcNow().ToUnixTimeMilliseconds() - frame.PublishedAtMs);
        }
    }

    private static async ValueTask WriteEventAsync(System.IO.Pipelines.PipeWriter body, string name, string? id, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var header = id is null ? $"event: {name}\ndata: " : $"id: {id}\nevent: {name}\ndata: ";
        await body.WriteAsync(Encoding.UTF8.GetBytes(header), cancellationToken);
        await body.WriteAsync(json, cancellationToken);
        await body.WriteAsync(s_eventEnd, cancellationToken);
    }

    /// <summary>The SSE event name: the frame's <c>type</c>, which every frame has as its first property.</summary>
    private static string EventName(in OutboundFrame frame) => frame.Kind switch
    {
        FrameKind.Message => "message",
        FrameKind.Typing => "typing",
        FrameKind.Presence => "presence",
        _ => ControlType(frame.Json.Span),
    };

    private static string ControlType(ReadOnlySpan<byte> json)
    {
        var prefix = "{\"type\":\""u8;
        if (!json.StartsWith(prefix))
        {
            return "control";
        }
        var rest = json[prefix.Length..];
        var end = rest.IndexOf((byte)'"');
        return end > 0 ? Encoding.UTF8.GetString(rest[..end]) : "control";
    }
}
