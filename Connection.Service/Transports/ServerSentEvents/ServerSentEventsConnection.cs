using System.Text;
using RealtimeAspire.ConnectionService.Auth;
using RealtimeAspire.ConnectionService.Connections;
using RealtimeAspire.ConnectionService.Diagnostics;
using RealtimeAspire.ConnectionService.Protocol;

namespace RealtimeAspire.ConnectionService.Transports.ServerSentEvents;

/// <summary>
/// One <c>text/event-stream</c>. Each durable message event carries an <c>id:</c> with the positions of all the
/// stream's channels, so the browser's automatic <c>Last-Event-ID</c> resumes every channel; comment heartbeats
/// keep idle streams alive through proxies.
/// </summary>
public sealed class ServerSentEventsConnection(RealtimeUser user, TransportRuntime runtime)
    : StreamingConnection(TransportNames.ServerSentEvents, user, runtime)
{
    private static readonly byte[] s_heartbeat = ": heartbeat\n\n"u8.ToArray();
    private static readonly byte[] s_eventEnd = "\n\n"u8.ToArray();

    /// <summary>Positions of the durable channels, as of the last event written.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, long> Positions { get; } = new(StringComparer.Ordinal);

    /// <summary><c>retry:</c>, then the welcome, whose <c>id:</c> (when the stream has durable channels) holds their starting positions.</summary>
    public static async Task WritePreambleAsync(HttpResponse response, int retryMilliseconds, byte[] welcome, string? startingPositions, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"retry: {retryMilliseconds}\n\n", cancellationToken);
        await WriteEventAsync(response.BodyWriter, "welcome", startingPositions, welcome, cancellationToken);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }

    /// <summary>When the stream last wrote (a <see cref="TimeProvider"/> timestamp): <see cref="SseHeartbeats"/> keeps idle ones alive.</summary>
    public long LastWrite { get; private set; } = runtime.Time.GetTimestamp();

    /// <summary>
    /// Writes queued frames until the client leaves or the server closes the stream. A write in progress is never
    /// cancelled by the close (a cancelled write aborts the connection: the client, through the edge too, would see
    /// a reset): what is queued goes out, then the stream ends in order. A slow consumer's backlog is dropped and a
    /// final <c>event: error</c> <c>slow_consumer</c> follows the write in flight. The end is bounded:
    /// <see cref="TransportOptions.CloseTimeout"/> after the close (a slow consumer
    /// <see cref="TransportOptions.SlowConsumerCloseTimeout"/>) the stream is aborted.
    /// </summary>
    /// <remarks>
    /// No stream ends by a cancelled wait or write: each would throw, and streams end together — 10,000 clients
    /// leaving at once were 10,000 <see cref="TaskCanceledException"/>s, every one building its message under the
    /// runtime's resource-string lock, on a replica with few thread-pool threads (issue #15, defect 7;
    /// docs/benchmarks.md). The client leaving completes the queue, so the wait returns false; the close deadline
    /// aborts the connection, so a write stuck on a client that does not read returns.
    /// </remarks>
    public async Task RunAsync(HttpContext context)
    {
        using var left = context.RequestAborted.UnsafeRegister(static stream => ((ServerSentEventsConnection)stream!).CompleteOutbound(), this);
        using var deadline = new CancellationTokenSource();
        using var abort = deadline.Token.UnsafeRegister(static http => ((HttpContext)http!).Abort(), context);
        using var closing = Closing.Register(() => deadline.CancelAfter(CloseTimeout));
        var reader = Outbound;
        var body = context.Response.BodyWriter;
        try
        {
            while (await reader.WaitToReadAsync() && CloseReason != Protocol.CloseReason.SlowConsumer)
            {
                while (CloseReason != Protocol.CloseReason.SlowConsumer && reader.TryRead(out var frame))
                {
                    await WriteFrameAsync(body, frame);
                }
                if ((await body.FlushAsync()).IsCompleted)
                {
                    // The client is gone (or the deadline aborted the stream): nothing more can be written.
                    return;
                }
                LastWrite = Runtime.Time.GetTimestamp();
            }
            if (CloseReason == Protocol.CloseReason.SlowConsumer)
            {
                DiscardQueued();
                await WriteEventAsync(body, "error", null, ServerFrames.Error(null, Protocol.ErrorCodes.SlowConsumer,
                    $"The stream fell {Runtime.Limits.MaxQueuedFrames} events behind and was closed; reconnect with Last-Event-ID to resume."));
                await body.FlushAsync();
            }
            LogClosedByServer();
        }
        catch (OperationCanceledException)
        {
            // The close deadline aborted a write in flight (ConnectionAbortedException): the client was not reading.
        }
        catch (IOException)
        {
            // The client went away mid-write.
        }
    }

    private async ValueTask WriteFrameAsync(System.IO.Pipelines.PipeWriter body, OutboundFrame frame)
    {
        if (frame.Kind == FrameKind.Heartbeat)
        {
            await body.WriteAsync(s_heartbeat);
            return;
        }
        string? id = null;
        if (frame is { Kind: FrameKind.Message, Seq: > 0, Channel: { } channel })
        {
            Positions[channel] = frame.Seq;
            id = StreamPositions.Format(Positions);
        }
        await WriteEventAsync(body, EventName(frame), id, frame.Json);
        Sent(frame);
    }

    private static async ValueTask WriteEventAsync(System.IO.Pipelines.PipeWriter body, string name, string? id, ReadOnlyMemory<byte> json, CancellationToken cancellationToken = default)
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
