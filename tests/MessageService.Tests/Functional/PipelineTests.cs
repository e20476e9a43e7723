using RealtimeAspire.Contracts;
using RealtimeAspire.Contracts.Wire;

namespace RealtimeAspire.MessageService.Tests.Functional;

[Collection(nameof(MessageServiceCollection))]
public sealed partial class PipelineTests(MessageServiceFixture fixture)
{
    private const int Channels = 20;
    private const int PerChannel = 500;
    private const int Total = Channels * PerChannel;
    private static readonly TimeSpan ProduceTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PersistTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Round-robin over the channels, each channel in sequence order (as one publisher per channel would).</summary>
    private static IEnumerable<MessageEnvelope> Load(string prefix, int fromSeq = 1, int toSeq = PerChannel)
    {
        for (var seq = fromSeq; seq <= toSeq; seq++)
        {
            for (var c = 0; c < Channels; c++)
            {
                yield return MessageServiceFixture.Envelope($"{prefix}-{c}", seq);
            }
        }
    }

    private async Task AssertExactlyOnceAsync(string prefix)
    {
        var rows = await fixture.QueryMessagesAsync(prefix).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Total, rows.Count);
        foreach (var channel in rows.GroupBy(r => r.Channel))
        {
            Assert.Equal(Enumerable.Range(1, PerChannel).Select(i => (long)i), channel.Select(r => r.Seq));
            Assert.All(channel, r => Assert.Equal($"{r.Channel}#{r.Seq}", r.MsgId));
        }
        Assert.Equal(Channels, rows.Select(r => r.Channel).Distinct().Count());
    }

    private async Task WaitForAllPersistedAsync(string prefix) =>
        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(prefix) >= Total, PersistTimeout, $"{Total} messages persisted")
            .WaitAsync(PersistTimeout + TimeSpan.FromSeconds(5));

    [Fact]
    public async Task TenThousandMessagesOverTwentyChannelsArePersistedExactlyOnceAndDuplicatesChangeNothing()
    {
        var prefix = MessageServiceFixture.NewPrefix("load");
        var started = DateTime.UtcNow;

        await fixture.ProduceAsync(Load(prefix), ProduceTimeout).WaitAsync(ProduceTimeout);
        await WaitForAllPersistedAsync(prefix);
        var elapsed = DateTime.UtcNow - started;
        await AssertExactlyOnceAsync(prefix);

        // Re-deliver a slice (as a producer retry or a consumer restart would): nothing changes.
        var duplicatesBefore = await fixture.MetricAsync("realtime_messages_duplicates_total").WaitAsync(TimeSpan.FromSeconds(30));
        await fixture.ProduceAsync(Load(prefix, 100, 149), ProduceTimeout).WaitAsync(ProduceTimeout);
        using var client = fixture.CreateClient();
        // max-seq answers only once the group has committed past everything produced: the duplicates were processed.
        var response = await client.GetAsync(new Uri($"/internal/channels/{prefix}-0/max-seq", UriKind.Relative)).WaitAsync(TimeSpan.FromSeconds(60));
        response.EnsureSuccessStatusCode();
        await AssertExactlyOnceAsync(prefix);
        await fixture.WaitUntilAsync(
            async () => await fixture.MetricAsync("realtime_messages_duplicates_total") >= duplicatesBefore + 50 * Channels,
            TimeSpan.FromSeconds(30), "the duplicates counted").WaitAsync(TimeSpan.FromSeconds(35));
        Console.WriteLine($"10,000 messages persisted in {elapsed.TotalSeconds:0.0} s ({Total / elapsed.TotalSeconds:0} msg/s, including produce).");
    }

    [Fact]
    public async Task KillingTheServiceInTheMiddleOfTheLoadLosesAndDuplicatesNothing()
    {
        var prefix = MessageServiceFixture.NewPrefix("kill");
        var instance = fixture.Topology.Instance(MessageServiceFixture.ServiceName);
        var restartsBefore = instance.Restarts;

        // Produce in chunks in the background while the service is killed part-way through.
        var producing = Task.Run(async () =>
        {
            for (var seq = 1; seq <= PerChannel; seq += 25)
            {
                await fixture.ProduceAsync(Load(prefix, seq, seq + 24), ProduceTimeout).WaitAsync(ProduceTimeout);
            }
        });
        await fixture.WaitUntilAsync(async () => await fixture.CountAsync(prefix) >= 2_000, PersistTimeout, "the load under way")
            .WaitAsync(PersistTimeout + TimeSpan.FromSeconds(5));
        var killed = fixture.Topology.Kill(MessageServiceFixture.ServiceName);
        var persistedAtKill = await fixture.CountAsync(prefix).WaitAsync(TimeSpan.FromSeconds(30));
        await producing.WaitAsync(ProduceTimeout * 2);
        Assert.True(persistedAtKill < Total, $"The kill came after the whole load was persisted ({persistedAtKill}).");

        await fixture.Topology.WaitAsync(
            () => instance.Restarts > restartsBefore && instance.ProcessId is { } pid && pid != killed && instance.IsHealthy,
            MessageServiceFixture.StartTimeout, "message-service restarted and healthy", MessageServiceFixture.ServiceName)
            .WaitAsync(MessageServiceFixture.StartTimeout + TimeSpan.FromSeconds(5));
        await WaitForAllPersistedAsync(prefix);
        await AssertExactlyOnceAsync(prefix);
    }
}
