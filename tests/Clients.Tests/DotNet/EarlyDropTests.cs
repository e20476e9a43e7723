using RealtimeAspire.Client;

namespace RealtimeAspire.Clients.Tests.DotNet;

/// <summary>
/// A subscription without <c>since</c> has no position of its own until its first message: the stream's start
/// (SSE: the welcome's <c>id:</c>, long polling: the first cursor) must give it one, or a reconnect before that first
/// message would resume "from now" and lose what was published while the client was away.
/// </summary>
[Collection(nameof(ClientTopologyCollection))]
public sealed class EarlyDropTests(ClientTopologyFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(RealtimeTransport.ServerSentEvents)]
    [InlineData(RealtimeTransport.LongPolling)]
    public async Task ASubscriptionWithoutSinceDroppedBeforeItsFirstMessageGetsEverythingPublishedMeanwhileOnceInOrder(RealtimeTransport transport)
    {
        var channel = $"chat:{Unique.Name("early-drop")}";
        await using var writer = TestClient.Create(fixture, Unique.Name("writer"), [RealtimeTransport.WebSocket]);
        await writer.Client.PublishAsync(channel, new { n = 0 }).WaitAsync(s_timeout); // the channel is at 1 before the reader comes
        using var network = new SeveringHandler();
        using var http = new HttpClient(network) { Timeout = Timeout.InfiniteTimeSpan };
        await using var reader = TestClient.Create(fixture, Unique.Name("reader"), [transport], http: http);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var received = new Collected(reader.Client, channel, new RealtimeSubscriptionOptions { OnReady = ready.SetResult });
        await ready.Task.WaitAsync(s_timeout);

        network.Sever();
        await Eventually.TrueAsync(() => reader.Client.State.Status == RealtimeConnectionStatus.Reconnecting, s_timeout, "the drop");
        for (var n = 1; n <= 5; n++)
        {
            await writer.Client.PublishAsync(channel, new { n }).WaitAsync(s_timeout);
        }
        network.Restore();
        await Eventually.TrueAsync(() => reader.Client.State.Status == RealtimeConnectionStatus.Connected, s_timeout, "the reconnect");
        await writer.Client.PublishAsync(channel, new { n = 6 }).WaitAsync(s_timeout);

        await Eventually.TrueAsync(() => received.Messages.Count >= 6, s_timeout, $"6 messages (got seqs {string.Join(',', received.Seqs)})");
        Assert.Equal([2L, 3, 4, 5, 6, 7], received.Seqs);
        Assert.Contains(reader.States, s => s.Status == RealtimeConnectionStatus.Reconnecting);
    }
}
