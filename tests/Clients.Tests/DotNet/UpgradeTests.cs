using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RealtimeAspire.Client;

namespace RealtimeAspire.Clients.Tests.DotNet;

/// <summary>After a fallback the client tries the better transport again in the background and moves back to it.</summary>
[Collection(nameof(ClientTopologyCollection))]
public sealed class UpgradeTests(ClientTopologyFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OnceTheWebSocketOpensAgainTheClientMovesBackToItWithNothingLostOrRepeated()
    {
        var outcomes = new ConcurrentQueue<string>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "RealtimeAspire.Client" && instrument.Name == "realtime.client.upgrades")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcomes.Enqueue($"{tag.Value}");
                }
            }
        });
        meters.Start();

        var blocked = true;
        await using var reader = TestClient.Create(fixture, Unique.Name("upgrading"), configure: o =>
        {
            o.UpgradeAfter = TimeSpan.FromMilliseconds(300);
            // The WebSocket goes through a proxy that refuses connections while blocked (port 9, discard).
            o.ConfigureWebSocket = ws =>
            {
                if (Volatile.Read(ref blocked))
                {
                    ws.Proxy = new System.Net.WebProxy("http://127.0.0.1:9") { BypassProxyOnLocal = false };
                }
            };
        });
        await Eventually.ConnectedAsync(reader.Client, s_timeout);
        Assert.Equal(RealtimeTransport.ServerSentEvents, reader.Client.State.Transport);
        var channel = $"chat:{Unique.Name("upgrade")}";
        await using var received = new Collected(reader.Client, channel, since: 0);
        await using var writer = TestClient.Create(fixture, Unique.Name("writer"), [RealtimeTransport.LongPolling]);
        for (var n = 1; n <= 5; n++)
        {
            await writer.Client.PublishAsync(channel, new { n }).WaitAsync(s_timeout);
        }
        await Eventually.TrueAsync(() => received.Messages.Count >= 5, s_timeout, "5 messages over SSE");
        await Eventually.TrueAsync(() => outcomes.Contains("failed"), s_timeout, "a failed upgrade while the WebSocket is blocked");
        Assert.Equal(RealtimeTransport.ServerSentEvents, reader.Client.State.Transport);

        Volatile.Write(ref blocked, false);
        var publishing = Task.Run(async () =>
        {
            for (var n = 6; n <= 15; n++)
            {
                await writer.Client.PublishAsync(channel, new { n }).WaitAsync(s_timeout);
            }
        });
        await Eventually.TrueAsync(() => reader.Client.State.Transport == RealtimeTransport.WebSocket, s_timeout, "the move to WebSocket");
        await publishing;
        await writer.Client.PublishAsync(channel, new { n = 16 }).WaitAsync(s_timeout);
        await Eventually.TrueAsync(() => received.Messages.Count >= 16, s_timeout, "16 messages");
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), received.Seqs);
        Assert.Contains("upgraded", outcomes);
        Assert.DoesNotContain(reader.States, s => s.Status == RealtimeConnectionStatus.Reconnecting);
        var ack = await reader.Client.PublishAsync(channel, new { n = 17 }).WaitAsync(s_timeout);
        Assert.Equal(17, ack.Seq);
    }
}
