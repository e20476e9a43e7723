using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeAspire.ConnectionService.Tests.Clients;

namespace RealtimeAspire.ConnectionService.Tests.Functional;

/// <summary>Publishing and fan-out across replicas, on every transport, in one order.</summary>
/// <remarks>Run twice: on one Redis server (<see cref="DeliveryTests"/>) and on a Redis Cluster (<see cref="DeliveryOnRedisClusterTests"/>).</remarks>
public abstract class DeliveryScenarios(ConnectionServiceTopology cluster)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task EveryTransportReceivesWhatAClientOnAnotherReplicaPublishesInOrderWithIdenticalPayloads()
    {
        var channel = $"chat:delivery-{Guid.NewGuid():N}";
        var token = await Tokens.ForAsync(cluster.Replica(0), "reader");
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(0), token);
        Assert.Equal("connection-service-0", socket.Welcome.GetProperty("replica").GetString());
        var ack = await socket.SubscribeAsync(channel);
        Assert.Equal("ack", ack.GetProperty("type").GetString());
        Assert.Equal(0, ack.GetProperty("seq").GetInt64());
        await using var sse = await SseStream.OpenAsync(cluster.Replica(1), token, channel);
        var welcome = await sse.NextAsync();
        Assert.Equal("welcome", welcome.Event);
        Assert.Equal("connection-service-1", welcome.Data.GetProperty("replica").GetString());
        using var poll = new PollClient(cluster.Replica(2), token, channel);
        var first = await poll.PollAsync();
        Assert.Equal("welcome", Assert.Single(first).GetProperty("type").GetString());

        await using var publisher = await Publishers.ConnectAsync(cluster.Replica(2), "writer");
        for (var i = 1; i <= 5; i++)
        {
            var published = await publisher.PublishAsync(channel, new { n = i, text = $"hello {i}" }).WaitAsync(PublishTimeout);
            Assert.Equal(i, published.Seq);
        }

        var overSocket = await socket.MessagesAsync(channel, 5);
        var overSse = await sse.MessagesAsync(channel, 5);
        var overPoll = await poll.MessagesAsync(channel, 5);

        var expected = Enumerable.Range(1, 5).Select(i => (long)i).ToArray();
        Assert.Equal(expected, overSocket.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal(expected, overSse.Select(m => m.Data.GetProperty("seq").GetInt64()));
        Assert.Equal(expected, overPoll.Select(m => m.GetProperty("seq").GetInt64()));
        var payloads = overSocket.Select(m => m.GetRawText()).ToArray();
        Assert.Equal(payloads, overSse.Select(m => m.Data.GetRawText()));
        Assert.Equal(payloads, overPoll.Select(m => m.GetRawText()));
        Assert.All(overSocket, m =>
        {
            Assert.Equal("writer", m.GetProperty("from").GetString());
            Assert.Equal(32, m.GetProperty("msgId").GetString()!.Length);
        });
        Assert.Equal($"{channel}@5", overSse[^1].Id);
    }

    [Fact]
    public async Task FourPublishersOnThreeReplicasProduceOneGaplessOrderThatEverySubscriberSees()
    {
        const int publishers = 4, perPublisher = 250;
        var channel = $"chat:order-{Guid.NewGuid():N}";
        var subscribers = new List<RealtimeSocket>();
        for (var r = 0; r < 3; r++)
        {
            var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(r), await Tokens.ForAsync(cluster.Replica(r), $"sub-{r}"));
            await socket.SubscribeAsync(channel);
            subscribers.Add(socket);
        }

        var publishing = Enumerable.Range(0, publishers).Select(async p =>
        {
            var replica = cluster.Replica(p % 3);
            await using var publisher = await Publishers.ConnectAsync(replica, $"pub-{p}");
            var seqs = new List<long>();
            for (var i = 0; i < perPublisher; i++)
            {
                // An error reply throws its code: only acks come back.
                seqs.Add((await publisher.PublishAsync(channel, new { p, i }).WaitAsync(PublishTimeout)).Seq);
            }
            return seqs;
        }).ToArray();
        var acked = (await Task.WhenAll(publishing)).SelectMany(s => s).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, publishers * perPublisher).Select(i => (long)i), acked);

        var views = new List<string[]>();
        foreach (var subscriber in subscribers)
        {
            var messages = await subscriber.MessagesAsync(channel, publishers * perPublisher, TimeSpan.FromSeconds(60));
            Assert.Equal(Enumerable.Range(1, publishers * perPublisher).Select(i => (long)i), messages.Select(m => m.GetProperty("seq").GetInt64()));
            views.Add([.. messages.Select(m => m.GetProperty("msgId").GetString()!)]);
            await subscriber.DisposeAsync();
        }
        Assert.Equal(views[0], views[1]);
        Assert.Equal(views[0], views[2]);
    }

    [Fact]
    public async Task HttpPublishIsAcknowledgedLikeAWebSocketPublish()
    {
        var channel = $"chat:http-{Guid.NewGuid():N}";
        var token = await Tokens.ForAsync(cluster.Replica(0), "backend");
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(1), token);
        await socket.SubscribeAsync(channel);

        using var response = await Tokens.PublishAsync(cluster.Replica(0), token, channel, new { hello = "world" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        var message = Assert.Single(await socket.MessagesAsync(channel, 1));
        Assert.Equal(ack.GetProperty("msgId").GetString(), message.GetProperty("msgId").GetString());
        Assert.Equal("world", message.GetProperty("data").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task EphemeralChannelsFanOutWithoutSequenceOrHistory()
    {
        var channel = $"live:metrics-{Guid.NewGuid():N}";
        var token = await Tokens.ForAsync(cluster.Replica(0), "viewer");
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(0), token);
        var ack = await socket.SubscribeAsync(channel);
        Assert.False(ack.TryGetProperty("seq", out _));
        await using var publisher = await RealtimeSocket.ConnectAsync(cluster.Replica(1), token);

        var published = await publisher.PublishAsync(channel, 42);

        Assert.Equal(0, published.GetProperty("seq").GetInt64());
        var message = Assert.Single(await socket.MessagesAsync(channel, 1));
        Assert.Equal(42, message.GetProperty("data").GetInt32());
        await using var late = await RealtimeSocket.ConnectAsync(cluster.Replica(2), token);
        var lateAck = await late.SubscribeAsync(channel, since: 0);
        Assert.Equal("ack", lateAck.GetProperty("type").GetString());
        await publisher.PublishAsync(channel, 43);
        Assert.Equal(43, Assert.Single(await late.MessagesAsync(channel, 1)).GetProperty("data").GetInt32());
    }

    [Fact]
    public async Task PingIsAnsweredWithPong()
    {
        await using var socket = await RealtimeSocket.ConnectAsync(cluster.Replica(0), await Tokens.ForAsync(cluster.Replica(0), "pinger"));

        await socket.SendAsync(new { type = "ping", id = 7 });

        var pong = await socket.NextAsync();
        Assert.Equal("pong", pong.GetProperty("type").GetString());
        Assert.Equal(7, pong.GetProperty("id").GetInt64());
    }
}

[Collection(nameof(ClusterCollection))]
public sealed class DeliveryTests(ClusterTopology cluster) : DeliveryScenarios(cluster);

[Collection(nameof(RedisClusterCollection))]
public sealed class DeliveryOnRedisClusterTests(RedisClusterTopology cluster) : DeliveryScenarios(cluster);
