using RealtimeAspire.ConnectionService.Tests.Clients;
using RealtimeAspire.Testing;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary><c>Transports:WebSocketAccept:ConnectionMiddleware=false</c>: a new connection's WebSocket goes to the HTTP pipeline and works there.</summary>
[Collection(nameof(HttpPipelineAcceptCollection))]
public sealed class WebSocketAcceptSwitchTests(HttpPipelineAcceptTopology topology)
{
    [Fact]
    public async Task WithTheConnectionMiddlewareOffEveryWebSocketIsAcceptedByTheHttpPipeline()
    {
        var replica = topology.Replica(0);
        var pipelineBefore = await AcceptPathCounts.WebSocketsAsync(replica, AcceptPathCounts.HttpPipeline);
        var channel = $"chat:switch-{Guid.NewGuid():N}";

        await using var socket = await RealtimeSocket.ConnectAsync(replica, await Tokens.ForAsync(replica, "switched-off"));
        Assert.Equal("ack", (await socket.SubscribeAsync(channel)).GetProperty("type").GetString());
        Assert.Equal(1, (await socket.PublishAsync(channel, "over the pipeline")).GetProperty("seq").GetInt64());
        Assert.Equal("over the pipeline", Assert.Single(await socket.MessagesAsync(channel, 1)).GetProperty("data").GetString());

        await BoundedWait.UntilAsync(async () => await AcceptPathCounts.WebSocketsAsync(replica, AcceptPathCounts.HttpPipeline) == pipelineBefore + 1,
            TimeSpan.FromSeconds(15), "the WebSocket counted as accepted by the HTTP pipeline");
        Assert.Equal(0, await AcceptPathCounts.WebSocketsAsync(replica, AcceptPathCounts.ConnectionMiddleware));
    }
}
