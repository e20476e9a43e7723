using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using RealtimeAspire.ConnectionService.Tests.Clients;
using RealtimeAspire.Testing;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>
/// Where a WebSocket is accepted: a new connection's valid upgrade by the Kestrel connection middleware, an upgrade
/// after another request on a keep-alive connection by the HTTP pipeline; both work the same, and
/// <c>realtime.connections.opened</c> tells them apart (<c>accept.path</c>).
/// </summary>
[Collection(nameof(ClusterCollection))]
public sealed class WebSocketAcceptPathTests(ClusterTopology cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AWebSocketOnANewConnectionIsAcceptedBelowTheHttpPipelineAndWorksToItsClose()
    {
        var replica = cluster.Replica(1);
        var middlewareBefore = await AcceptPathCounts.WebSocketsAsync(replica, AcceptPathCounts.ConnectionMiddleware);
        var pipelineBefore = await AcceptPathCounts.WebSocketsAsync(replica, AcceptPathCounts.HttpPipeline);
        var channel = $"chat:accept-{Guid.NewGuid():N}";

        await using var reader = await RealtimeSocket.ConnectAsync(replica, await Tokens.ForAsync(replica, "accept-reader"));
        await using var writer = await RealtimeSocket.ConnectAsync(replica, await Tokens.ForAsync(replica, "accept-writer"));
        Assert.Equal("welcome", reader.Welcome.GetProperty("type").GetString());
        Assert.Equal("connection-service-1", reader.Welcome.GetProperty("replica").GetString());
        Assert.Equal("ack", (await reader.SubscribeAsync(channel)).GetProperty("type").GetString());
        var ack = await writer.PublishAsync(channel, new { text = "below kestrel" });
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        var message = Assert.Single(await reader.MessagesAsync(channel, 1));
        Assert.Equal("below kestrel", message.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal("accept-writer", message.GetProperty("from").GetString());

        // A close with the server's code and reason, through the close-reason stream on this path too.
        await reader.SendRawAsync([(byte)'{', 0xC3, 0x28, (byte)'}']);
        var (status, reason) = await reader.Closed.WaitAsync(Timeout);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Equal("invalid_utf8", reason);

        await BoundedWait.UntilAsync(async () => await AcceptPathCounts.WebSocketsAsync(replica, AcceptPathCounts.ConnectionMiddleware) == middlewareBefore + 2,
            Timeout, "two WebSockets counted as accepted by the connection middleware");
        Assert.Equal(pipelineBefore, await AcceptPathCounts.WebSocketsAsync(replica, AcceptPathCounts.HttpPipeline));
    }

    [Fact]
    public async Task AWebSocketUpgradeAfterAnotherRequestOnTheSameConnectionIsAcceptedByTheHttpPipeline()
    {
        var replica = cluster.Replica(2);
        var token = await Tokens.ForAsync(replica, "keep-alive");
        var pipelineBefore = await AcceptPathCounts.WebSocketsAsync(replica, AcceptPathCounts.HttpPipeline);
        var middlewareBefore = await AcceptPathCounts.WebSocketsAsync(replica, AcceptPathCounts.ConnectionMiddleware);

        await using var connection = await RawHttpConnection.OpenAsync(replica);
        Assert.Contains(" 200 ", await connection.GetAsync("/connect/info"));
        var (statusLine, socket) = await connection.UpgradeAsync(token);
        Assert.Contains(" 101 ", statusLine);
        using (socket)
        {
            var welcome = await ReceiveJsonAsync(socket!);
            Assert.Equal("welcome", welcome.GetProperty("type").GetString());
            await socket!.SendAsync("{\"type\":\"ping\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal("pong", (await ReceiveJsonAsync(socket)).GetProperty("type").GetString());
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(Timeout);
        }

        await BoundedWait.UntilAsync(async () => await AcceptPathCounts.WebSocketsAsync(replica, AcceptPathCounts.HttpPipeline) == pipelineBefore + 1,
            Timeout, "the WebSocket counted as accepted by the HTTP pipeline");
        Assert.Equal(middlewareBefore, await AcceptPathCounts.WebSocketsAsync(replica, AcceptPathCounts.ConnectionMiddleware));
    }

    internal static async Task<JsonElement> ReceiveJsonAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).AsTask().WaitAsync(Timeout);
            count += result.Count;
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, count)).RootElement.Clone();
    }
}
