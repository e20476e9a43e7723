using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

/// <summary>A client too slow for its replica's outbound queue learns why it was dropped, through the edge.</summary>
public sealed partial class ThroughTheEdgeTests
{
    /// <summary>Under <c>live</c>'s MaxMessageBytes (64 KiB) and the 128 KiB frame limit.</summary>
    private const int FloodPayloadBytes = 60_000;

    [Fact]
    public async Task SlowWebSocketConsumerBehindTheEdgeGetsTheCloseFrame1013SlowConsumer()
    {
        var channel = $"live:edge-slow-ws-{_run}";
        await using var slow = await Edge.ConnectWebSocketAsync(await Edge.DevTokenAsync($"slow-ws-{_run}"));
        await SendFrameAsync(slow.Socket, new { type = "subscribe", id = 1, channel });
        Assert.Equal("ack", (await slow.ReceiveAsync(EdgeClient.CallTimeout)).GetProperty("type").GetString());
        var before = await SlowConsumerClosesAsync(slow.Replica, "websocket");

        // It stops reading; the flood fills the TCP buffers, then the replica's queue.
        await FloodUntilAsync(channel, async () => await SlowConsumerClosesAsync(slow.Replica, "websocket") > before);

        // It reads again, at a few MB/s (64 KB per 16 ms tick): what the replica, the edge and four autotuned loopback socket
        // buffers hold (12-21 MB seen) still takes seconds to drain, and the close frame is behind all of it. Not slower: the
        // replica gives up on the close handshake after Transport:SlowConsumerCloseTimeout (30 s) by design, and at 0.5-1 MB/s
        // the drain of 21 MB took 25 s on top of the flood (CI run 11 and a rerun: no close frame).
        var (status, reason) = await ReadUntilClosedAsync(slow.Socket, TimeSpan.FromSeconds(90), bytesPerTick: 64 * 1024);
        Assert.True(status == (WebSocketCloseStatus)1013, $"closed with {status?.ToString() ?? "no close frame"}: {reason}");
        Assert.Equal("slow_consumer", reason);
    }

    [Fact]
    public async Task SlowSseConsumerBehindTheEdgeGetsAFinalErrorEventAndAnOrderlyEnd()
    {
        var channel = $"live:edge-slow-sse-{_run}";
        var token = await Edge.DevTokenAsync($"slow-sse-{_run}");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/connect/sse?channels={channel}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var stream = await Edge.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        stream.EnsureSuccessStatusCode();
        var replica = stream.Headers.GetValues("X-Realtime-Replica").Single();
        var body = await stream.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        // Read up to the welcome, then stop reading.
        while (await reader.ReadLineAsync().WaitAsync(EdgeClient.CallTimeout) is { } line && !line.StartsWith("event: welcome", StringComparison.Ordinal))
        {
        }
        var before = await SlowConsumerClosesAsync(replica, "sse");

        await FloodUntilAsync(channel, async () => await SlowConsumerClosesAsync(replica, "sse") > before);

        // It reads again, slowly (a line per 16 ms tick, about 3.7 MB/s of 60 KB events): everything up to the end
        // of the stream reads without a reset, and the last event says why.
        string? lastEvent = null, lastData = null, current = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(16));
        while (await pace.WaitForNextTickAsync(deadline.Token) && await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                current = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                (lastEvent, lastData) = (current, line["data: ".Length..]);
            }
        }
        Assert.Equal("error", lastEvent);
        Assert.Equal("slow_consumer", JsonDocument.Parse(lastData!).RootElement.GetProperty("code").GetString());
    }

    /// <summary>Publishers through the edge (each under the per-connection frame rate) until <paramref name="done"/>.</summary>
    private async Task FloodUntilAsync(string channel, Func<Task<bool>> done)
    {
        var tokens = await Edge.DevTokensAsync($"flood-{_run}-{Guid.NewGuid():N}"[..40], 6);
        var publishers = new List<RealtimeSocket>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            foreach (var token in tokens)
            {
                publishers.Add(await Edge.ConnectWebSocketAsync(token));
            }
            var payload = JsonSerializer.SerializeToUtf8Bytes(new { type = "publish", channel, data = new string('z', FloodPayloadBytes) });
            var floods = publishers.Select(p => Task.Run(() => PublishPacedAsync(p.Socket, payload, stop.Token))).ToArray();
            var drains = publishers.Select(p => Task.Run(() => DiscardAsync(p.Socket, stop.Token))).ToArray();
            await EventuallyAsync(done, TimeSpan.FromSeconds(90), "the replica closed the subscriber as a slow consumer");
            await stop.CancelAsync();
            await Task.WhenAll(floods.Concat(drains)).WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await Task.WhenAll(publishers.Select(p => p.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>About 60 frames per second: under Connection.Service's default 100 per connection, so none is refused.</summary>
    private static async Task PublishPacedAsync(WebSocket socket, byte[] frame, CancellationToken cancellationToken)
    {
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(16));
        try
        {
            while (await pace.WaitForNextTickAsync(cancellationToken))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    private static async Task DiscardAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (!(await socket.ReceiveAsync(buffer, cancellationToken)).MessageType.Equals(WebSocketMessageType.Close))
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    /// <summary>Reads (and drops) until the close frame, at most <paramref name="bytesPerTick"/> every 16 ms.</summary>
    private static async Task<(WebSocketCloseStatus? Status, string? Reason)> ReadUntilClosedAsync(WebSocket socket, TimeSpan timeout, int bytesPerTick)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(16));
        var buffer = new byte[bytesPerTick];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long bytes = 0;
        try
        {
            while (await pace.WaitForNextTickAsync(cts.Token))
            {
                var result = await socket.ReceiveAsync(buffer, cts.Token);
                bytes += result.Count;
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (result.CloseStatus, result.CloseStatusDescription);
                }
            }
            return (null, "the timer stopped");
        }
        catch (WebSocketException ex)
        {
            return (null, $"no close frame after {bytes} bytes in {clock.Elapsed.TotalSeconds:0.0} s: {ex.WebSocketErrorCode} {ex.Message}");
        }
    }

    private static Task SendFrameAsync(WebSocket socket, object frame) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private async Task<double> SlowConsumerClosesAsync(string replica, string transport)
    {
        using var http = Topology.CreateHttpClient(replica);
        var metrics = await http.GetStringAsync("/metrics");
        return Counter(metrics, "realtime_slow_consumer_closes_total", $"transport=\"{transport}\"");
    }
}
