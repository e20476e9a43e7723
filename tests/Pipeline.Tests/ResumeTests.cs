using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RealtimeAspire.Client;
using RealtimeAspire.ConnectionService.Tests.Clients;
using RealtimeAspire.Contracts;

namespace RealtimeAspire.Pipeline.Tests;

/// <summary>Invariant 3 through the whole system: a resume older than Redis history continues from Message.Service's history API.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class ResumeTests(PipelineFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AClientAwayLongerThanRedisHistoryResumesWithNoGapThroughTheHistoryApi()
    {
        // Namespace feed keeps 200 messages in Redis (Connection.Service's appsettings.json).
        const int published = 300, since = 10;
        var channel = PipelineFixture.NewPrefix("feed") + "away";
        Dictionary<long, Acked> acks;
        await using (var load = await LoadPublisher.ConnectAsync([.. fixture.Replicas.Select(r => new PublishPlan(r, channel, published / 3))]))
        {
            using var cts = new CancellationTokenSource(Timeout);
            await load.RunAsync(cts.Token).WaitAsync(Timeout);
            acks = load.Acks.ToDictionary(a => a.Seq);
        }
        Assert.Equal(Enumerable.Range(1, published).Select(s => (long)s), acks.Keys.Order());
        await fixture.WaitUntilAsync(async () => await fixture.CountPersistedAsync(channel) == published, Timeout, $"{published} rows of {channel}");
        var redis = await fixture.RedisAsync();
        Assert.Equal(200, await redis.SortedSetLengthAsync(RedisKeys.History(channel)).WaitAsync(Timeout));

        // The .NET client, straight to a replica. It would hide a server that repeats or skips (it drops duplicates
        // and fills gaps from the history API itself), so its own counters must show it did neither.
        using var clientCounters = ClientCounters.Start();
        var token = await Tokens.ForAsync(fixture.Replicas[1], "returning-reader", ["feed:*"], ["feed:*"]).WaitAsync(Timeout);
        await using var reader = new RealtimeClient(new RealtimeClientOptions
        {
            EdgeUrl = fixture.Replicas[1],
            Token = token,
            Transports = [RealtimeTransport.WebSocket],
        });
        using var stop = new CancellationTokenSource(Timeout);
        await using var messages = reader.SubscribeAsync(channel, since, stop.Token).GetAsyncEnumerator(stop.Token);
        var caughtUp = new List<RealtimeMessage>();
        while (caughtUp.Count < published - since && await messages.MoveNextAsync())
        {
            caughtUp.Add(messages.Current);
        }

        Assert.Equal(Enumerable.Range(since + 1, published - since).Select(s => (long)s), caughtUp.Select(m => m.Seq));
        Assert.All(caughtUp, m => Assert.Equal(acks[m.Seq].MsgId, m.MsgId));
        Assert.All(caughtUp, m => Assert.Equal(acks[m.Seq].Key, m.Data.GetProperty("key").GetString()));

        // Exactly once: the next message after the catch-up is the next one published, no repeat in between.
        var next = await reader.PublishAsync(channel, new { key = "after" }, stop.Token);
        Assert.Equal(published + 1, next.Seq);
        Assert.True(await messages.MoveNextAsync());
        Assert.Equal(published + 1, messages.Current.Seq);
        Assert.Equal(published - since + 1, clientCounters.Read("realtime.client.messages.received")); // the counters are heard
        Assert.Equal(0, clientCounters.Read("realtime.client.messages.duplicates"));
        Assert.Equal(0, clientCounters.Read("realtime.client.gap_fills"));
    }

    /// <summary>The .NET client's counters, summed over this process while started.</summary>
    private sealed class ClientCounters : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _sums = new(StringComparer.Ordinal);

        public static ClientCounters Start()
        {
            var counters = new ClientCounters();
            counters._listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "RealtimeAspire.Client")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            counters._listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => counters._sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
            counters._listener.Start();
            return counters;
        }

        public long Read(string name) => _sums.GetValueOrDefault(name);

        public void Dispose() => _listener.Dispose();
    }
}
