using RealtimeAspire.Client;

namespace RealtimeAspire.Clients.Tests.DotNet;

/// <summary>Kill and drain a replica; resume beyond Redis history. Each test leaves every replica routable again.</summary>
[Collection(nameof(ClientTopologyCollection))]
public sealed class ResilienceTests(ClientTopologyFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    /// <summary>Publishes in order; <c>rate_limited</c> (feed: 50/s per connection) is the server's pace, so wait and send again.</summary>
    private static async Task PublishAsync(RealtimeClient client, string channel, int from, int count)
    {
        for (var i = 0; i < count; i++)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await client.PublishAsync(channel, new { n = from + i }).WaitAsync(s_timeout);
                    break;
                }
                catch (RealtimeException ex) when (ex.Code == "rate_limited" && attempt < 50)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100));
                }
            }
        }
    }

    [Theory]
    [InlineData(RealtimeTransport.WebSocket)]
    [InlineData(RealtimeTransport.ServerSentEvents)]
    [InlineData(RealtimeTransport.LongPolling)]
    public async Task ResumeBeyondRedisHistoryDeliversEveryMessageOnceInOrder(RealtimeTransport transport)
    {
        // feed: keeps 200 messages in Redis; the rest come from Message.Service.
        var channel = $"feed:{Unique.Name("deep")}";
        await using var writer = TestClient.Create(fixture, Unique.Name("writer"));
        await PublishAsync(writer.Client, channel, 1, 230);
        await Eventually.TrueAsync(async () => (await writer.Client.GetHistoryAsync(channel, after: 229, limit: 1)).Messages.Count == 1, s_timeout, "all 230 persisted");
        await using var reader = TestClient.Create(fixture, Unique.Name("reader"), [transport]);
        await using var received = new Collected(reader.Client, channel, since: 0);
        await Eventually.TrueAsync(() => received.Messages.Count >= 230, s_timeout, "230 messages");
        Assert.Equal(Enumerable.Range(1, 230).Select(i => (long)i), received.Seqs);
    }

    [Theory]
    [InlineData(RealtimeTransport.WebSocket)]
    [InlineData(RealtimeTransport.ServerSentEvents)]
    public async Task AKilledReplicaIsLeftForAnotherAndEveryMessageSentMeanwhileArrivesOnceInOrder(RealtimeTransport transport)
    {
        var channel = $"chat:{Unique.Name("kill")}";
        await using var reader = TestClient.Create(fixture, Unique.Name("reader"), [transport]);
        await Eventually.ConnectedAsync(reader.Client, s_timeout);
        var first = reader.Client.State.Replica!;
        await using var received = new Collected(reader.Client, channel, since: 0);
        await using var writer = TestClient.Create(fixture, Unique.Name("writer"), [RealtimeTransport.LongPolling]);
        await PublishAsync(writer.Client, channel, 1, 5);
        await Eventually.TrueAsync(() => received.Messages.Count == 5, s_timeout, "the first 5");

        // The loss is read from the states the client reported, not from its current state: it may be connected to
        // another replica again before a poll looks (CI run 7 here missed an SSE client's Reconnecting that way).
        var statesBeforeKill = reader.States.Count;
        fixture.Topology.Kill(first);
        await Eventually.TrueAsync(() => reader.States.Skip(statesBeforeKill).Any(s => s.Status != RealtimeConnectionStatus.Connected), s_timeout, "the loss");
        var sent = 5;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                await writer.Client.PublishAsync(channel, new { n = sent + 1 });
                sent++;
            }
            catch (RealtimeException)
            {
                // The writer's replica may be the dead one: it reconnects and the next try goes elsewhere.
            }
            return sent >= 15;
        }, s_timeout, "10 more published");
        await Eventually.TrueAsync(() => reader.Client.State is { Status: RealtimeConnectionStatus.Connected } s && s.Replica != first, s_timeout, "another replica");
        await Eventually.TrueAsync(() => received.Messages.Count >= sent, s_timeout, $"{sent} messages");
        Assert.Equal(Enumerable.Range(1, sent).Select(i => (long)i), received.Seqs);
        Assert.Contains(reader.States, s => s.Status == RealtimeConnectionStatus.Reconnecting && s.Attempt >= 1);
        await fixture.RestoreEveryReplicaAsync(CancellationToken.None, restarted: first);
    }

    [Fact]
    public async Task DrainMovesTheClientToAnotherReplicaWithNothingLostOrRepeated()
    {
        var channel = $"chat:{Unique.Name("drain")}";
        await using var reader = TestClient.Create(fixture, Unique.Name("reader"), [RealtimeTransport.WebSocket]);
        await Eventually.ConnectedAsync(reader.Client, s_timeout);
        var first = reader.Client.State.Replica!;
        await using var received = new Collected(reader.Client, channel, since: 0);
        await using var writer = TestClient.Create(fixture, Unique.Name("writer"), [RealtimeTransport.ServerSentEvents]);
        await PublishAsync(writer.Client, channel, 1, 5);

        using (var drain = await fixture.Http.PostAsync(new Uri(fixture.ReplicaUrls()[first], "/admin/drain"), null))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, drain.StatusCode);
        }
        var publishing = PublishAsync(writer.Client, channel, 6, 10);
        await Eventually.TrueAsync(() => reader.States.Any(s => s.Status == RealtimeConnectionStatus.Reconnecting && s.Reason == "drain"), s_timeout, "the drain notice");
        await Eventually.TrueAsync(() => reader.Client.State is { Status: RealtimeConnectionStatus.Connected } s && s.Replica != first, s_timeout, "another replica");
        await publishing;
        await Eventually.TrueAsync(() => received.Messages.Count >= 15, s_timeout, "15 messages");
        Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), received.Seqs);

        // A drained replica stays drained: restart it.
        fixture.Topology.Kill(first);
        await fixture.RestoreEveryReplicaAsync(CancellationToken.None, restarted: first);
    }
}
