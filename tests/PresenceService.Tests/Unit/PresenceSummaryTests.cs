using System.Text;
using System.Text.Json;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RealtimeAspire.PresenceService.Configuration;
using RealtimeAspire.PresenceService.Diagnostics;
using RealtimeAspire.PresenceService.Events;
using RealtimeAspire.PresenceService.Store;

namespace RealtimeAspire.PresenceService.Tests.Unit;

/// <summary>
/// Large channels: above <see cref="PresenceOptions.SummaryAboveMembers"/> a window's frame is a summary. The batcher's
/// pending windows are flushed by <c>StopAsync</c>, so no timing is involved.
/// </summary>
public sealed class PresenceSummaryTests
{
    private const string Channel = "chat:big";

    [Theory]
    [InlineData(10, 10, false)]
    [InlineData(11, 10, true)]
    [InlineData(3000, 500, true)]
    public async Task AWindowOfAChannelAboveTheThresholdIsOneSummaryElseFramesThatNameEachUser(int members, int threshold, bool summary)
    {
        var (frames, kinds) = await FlushJoinsAsync(members, threshold, maxUsersPerFrame: 1000);

        var total = frames.Sum(f => f.GetProperty("joined").GetArrayLength());
        Assert.All(frames, f => Assert.Equal(members, f.GetProperty("count").GetInt64()));
        if (summary)
        {
            var only = Assert.Single(frames);
            Assert.Equal(0, total);
            Assert.Equal(members, only.GetProperty("summary").GetProperty("joined").GetInt32());
            Assert.Equal(0, only.GetProperty("summary").GetProperty("left").GetInt32());
        }
        else
        {
            Assert.Equal(members, total);
            Assert.All(frames, f => Assert.False(f.TryGetProperty("summary", out _)));
        }
        Assert.Equal(frames.Count, kinds.Count);
        Assert.All(kinds, kind => Assert.Equal(summary ? "summary" : "names", kind));
    }

    [Fact]
    public async Task ASummaryCostsTheSameHowEverManyJoinedInTheWindow()
    {
        var (few, _) = await FlushJoinsAsync(600, 500, maxUsersPerFrame: 1000);
        var (many, _) = await FlushJoinsAsync(6000, 500, maxUsersPerFrame: 1000);

        // Names grow with the joins (≈ 50 bytes each); a summary's size only with the digits of its counts.
        Assert.True(Size(many) - Size(few) <= 4, $"{Size(few)} vs {Size(many)} bytes");
    }

    private static int Size(List<JsonElement> frames) => frames.Sum(f => f.GetRawText().Length);

    /// <summary>The frames one window of <paramref name="members"/> joins becomes, and the kind tag of each counted frame.</summary>
    private static async Task<(List<JsonElement> Frames, List<string> Kinds)> FlushJoinsAsync(int members, int threshold, int maxUsersPerFrame)
    {
        var options = Options.Create(new PresenceOptions { SummaryAboveMembers = threshold, MaxUsersPerFrame = maxUsersPerFrame });
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var store = new InMemoryPresenceStore(options, time);
        var update = await store.ApplyAsync("replica-0",
            [.. Enumerable.Range(0, members).Select(i => new PresenceChange(true, new PresenceEntry($"c{i}", Channel, $"user-{i}", $"User {i}")))], CancellationToken.None);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var telemetry = new PresenceTelemetry(services.GetRequiredService<IMeterFactory>());
        var kinds = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PresenceTelemetry.Name && instrument.Name == "realtime.presence.frames")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => kinds.Add((string)tags.ToArray().Single(t => t.Key == "kind").Value!));
        listener.Start();
        var publisher = new RecordingPublisher();
        var batcher = new PresenceEventBatcher(publisher, store, options, time, telemetry, NullLogger<PresenceEventBatcher>.Instance);

        batcher.Add(update.Transitions);
        await batcher.StopAsync(CancellationToken.None);

        return ([.. publisher.Payloads.Select(Frame)], kinds);
    }

    private static JsonElement Frame(byte[] payload)
    {
        var text = Encoding.UTF8.GetString(payload);
        return JsonDocument.Parse(text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..]).RootElement.Clone();
    }

    private sealed class RecordingPublisher : IPresencePublisher
    {
        public List<byte[]> Payloads { get; } = [];

        public Task PublishAsync(string channel, byte[] payload)
        {
            Payloads.Add(payload);
            return Task.CompletedTask;
        }
    }
}
