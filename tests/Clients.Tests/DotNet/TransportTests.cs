using RealtimeAspire.Client;

namespace RealtimeAspire.Clients.Tests.DotNet;

[Collection(nameof(ClientTopologyCollection))]
public sealed class TransportTests(ClientTopologyFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    public static TheoryData<RealtimeTransport> Transports => [RealtimeTransport.WebSocket, RealtimeTransport.ServerSentEvents, RealtimeTransport.LongPolling];

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task EveryPublishIsAckedDurablyAndDeliveredOnceInOrder(RealtimeTransport transport)
    {
        var channel = $"chat:{Unique.Name("dotnet")}";
        await using var reader = TestClient.Create(fixture, Unique.Name("reader"), [transport]);
        await using var writer = TestClient.Create(fixture, Unique.Name("writer"), [transport]);
        await Eventually.ConnectedAsync(reader.Client, s_timeout);
        Assert.Equal(transport, reader.Client.State.Transport);
        Assert.StartsWith("connection-service-", reader.Client.State.Replica);
        await using var received = new Collected(reader.Client, channel, since: 0);

        var acks = new List<PublishAck>();
        for (var i = 1; i <= 20; i++)
        {
            acks.Add(await writer.Client.PublishAsync(channel, new { i }).WaitAsync(s_timeout));
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), acks.Select(a => a.Seq));
        Assert.All(acks, a => Assert.False(string.IsNullOrEmpty(a.MsgId)));
        await Eventually.TrueAsync(() => received.Messages.Count >= 20, s_timeout, "20 messages");
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), received.Seqs);
        Assert.Equal(Enumerable.Range(1, 20), received.Messages.Select(m => m.Data.GetProperty("i").GetInt32()));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task PublishErrorsCarryTheProtocolsCodes(RealtimeTransport transport)
    {
        var user = Unique.Name("limited");
        await using var client = TestClient.Create(fixture, user, [transport],
            o => o.TokenProvider = ct => new ValueTask<string>(fixture.TokenAsync(user, ct, subscribe: ["chat:*"], publish: ["chat:*"])));
        await Eventually.ConnectedAsync(client.Client, s_timeout);

        async Task<string> CodeOf(string channel, object data) =>
            (await Assert.ThrowsAsync<RealtimeException>(() => client.Client.PublishAsync(channel, data).WaitAsync(s_timeout))).Code;

        Assert.Equal("unknown_namespace", await CodeOf("nope:x", 1));
        Assert.Equal("forbidden", await CodeOf("feed:not-mine", 1));
        Assert.Equal("message_too_large", await CodeOf($"chat:{Unique.Name("big")}", new string('x', 70 * 1024)));
        Assert.Equal("invalid_channel", await CodeOf("not a channel", 1));
        var refused = await Assert.ThrowsAsync<RealtimeException>(async () =>
        {
            await foreach (var _ in client.Client.SubscribeAsync("feed:not-mine").WithCancellation(new CancellationTokenSource(s_timeout).Token))
            {
            }
        });
        Assert.Equal("forbidden", refused.Code);
    }

    [Fact]
    public async Task HistoryPagesForwardAndBackward()
    {
        var channel = $"chat:{Unique.Name("history")}";
        await using var client = TestClient.Create(fixture, Unique.Name("historian"));
        for (var i = 1; i <= 5; i++)
        {
            await client.Client.PublishAsync(channel, new { i }).WaitAsync(s_timeout);
        }
        // History is what Message.Service has persisted, which trails the acks: page only once all five are there, or
        // the first page is the whole (three-row) history and rightly says hasMore = false.
        await Eventually.TrueAsync(async () => (await client.Client.GetHistoryAsync(channel, after: 0, limit: 10)).Messages.Count == 5, s_timeout, "persisted history");
        var page = await client.Client.GetHistoryAsync(channel, after: 0, limit: 3);
        Assert.Equal([1L, 2, 3], page.Messages.Select(m => m.Seq));
        Assert.True(page.HasMore);
        var older = await client.Client.GetHistoryAsync(channel, before: 6, limit: 2);
        Assert.Equal([4L, 5], older.Messages.Select(m => m.Seq));
    }
}
