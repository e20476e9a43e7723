using System.Net.WebSockets;
using System.Text.Json;

namespace RealtimeAspire.EdgeProxy.Tests.ThroughTheEdge;

public sealed partial class ThroughTheEdgeTests
{
    [Fact]
    public async Task AMessagePublishedOnOneReplicaReachesSubscribersOnTheOthersThroughTheEdge()
    {
        var channel = $"chat:edge-fanout-{_run}";
        var sockets = new List<RealtimeSocket>();
        try
        {
            foreach (var replica in Replicas)
            {
                var socket = await Edge.ConnectWebSocketAsync(await Edge.DevTokenAsync($"fanout-{replica}-{_run}"), await KeyOfAsync(replica));
                Assert.Equal(replica, socket.Replica);
                sockets.Add(socket);
            }
            foreach (var subscriber in sockets.Skip(1))
            {
                await SendAsync(subscriber, new { type = "subscribe", id = 1, channel });
                Assert.Equal("ack", (await NextOfTypeAsync(subscriber, "ack")).GetProperty("type").GetString());
            }

            await SendAsync(sockets[0], new { type = "publish", id = 2, channel, data = new { text = "from replica 0" } });
            var ack = await NextOfTypeAsync(sockets[0], "ack");

            foreach (var subscriber in sockets.Skip(1))
            {
                var message = await NextOfTypeAsync(subscriber, "message");
                Assert.Equal(ack.GetProperty("msgId").GetString(), message.GetProperty("msgId").GetString());
                Assert.Equal("from replica 0", message.GetProperty("data").GetProperty("text").GetString());
            }
        }
        finally
        {
            await Task.WhenAll(sockets.Select(s => s.DisposeAsync().AsTask())).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task TypingOverHttpIsRoutedToAReplicaAndReachesSubscribers()
    {
        var channel = $"chat:edge-typing-{_run}";
        await using var listener = await Edge.ConnectWebSocketAsync(await Edge.DevTokenAsync($"typing-listener-{_run}"));
        await SendAsync(listener, new { type = "subscribe", id = 1, channel });
        await NextOfTypeAsync(listener, "ack");

        using var typing = new HttpRequestMessage(HttpMethod.Post, $"/api/channels/{channel}/typing");
        typing.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await Edge.DevTokenAsync($"typist-{_run}"));
        using var response = await Edge.Http.SendAsync(typing);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal($"typist-{_run}", (await NextOfTypeAsync(listener, "typing")).GetProperty("user").GetString());
    }

    private static async Task SendAsync(RealtimeSocket socket, object frame)
    {
        using var timeout = new CancellationTokenSource(EdgeClient.CallTimeout);
        await socket.Socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next frame of a type, skipping others (presence events); bounded.</summary>
    private static async Task<JsonElement> NextOfTypeAsync(RealtimeSocket socket, string type)
    {
        for (var i = 0; i < 50; i++)
        {
            var frame = await socket.ReceiveAsync(EdgeClient.CallTimeout);
            if (frame.GetProperty("type").GetString() == type)
            {
                return frame;
            }
        }
        throw new TimeoutException($"No '{type}' frame among the next 50.");
    }
}
