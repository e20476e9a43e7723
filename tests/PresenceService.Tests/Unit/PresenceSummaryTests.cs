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
using RealtimeAspire.Testing;

namespace RealtimeAspire.PresenceService.Tests.Unit;

/// <summary>
/// Large channels: above <see cref="PresenceOptions.SummaryAboveMembers"/> a window's frame is a summary. The batcher's
/// pending windows are flushed by <c>StopAsync</c>, so no timing is involved.
/// </summary>
public sealed class PresenceSummaryTests
{
    private const string Channel = "chat:big";
    private const string SmallChannel = "chat:small";

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

    [Fact]
    public async Task OnceAChannelsFrameWasASummaryItsWindowIsTheSummaryWindowUntilItIsSmallAgain()
    {
        var options = Options.Create(new PresenceOptions { SummaryAboveMembers = 500, EventWindow = TimeSpan.FromMilliseconds(150), SummaryWindow = TimeSpan.FromSeconds(2) });
        using var rig = new BatcherRig(options);
        var (time, store, publisher, batcher) = (rig.Time, rig.Store, rig.Publisher, rig.Batcher);
        await batcher.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(options.Value.EventWindow, batcher.WindowOf(Channel));
            batcher.Add((await JoinAsync(store, 0, 600)).Transitions);
            time.Advance(options.Value.EventWindow);
            await BoundedWait.UntilAsync(() => Task.FromResult(publisher.Count == 1), TimeSpan.FromSeconds(30), "the first window's summary");
            Assert.Equal(options.Value.SummaryWindow, batcher.WindowOf(Channel));

            // One more join, and a join into a small channel just after it. The small channel's frame goes out when an
            // event window has passed; the large one's join waits for the summary window. (Were both windows event
            // windows, one queue would close the large channel's first, before the small one's frame.)
            var opened = time.GetUtcNow();
            batcher.Add((await JoinAsync(store, 600, 1)).Transitions);
            batcher.Add((await store.ApplyAsync("replica-0", [new PresenceChange(true, new PresenceEntry("s0", SmallChannel, "user-s", "User S"))], CancellationToken.None)).Transitions);
            time.Advance(options.Value.EventWindow);
            await BoundedWait.UntilAsync(() => Task.FromResult(publisher.Count == 2), TimeSpan.FromSeconds(30), "the small channel's frame");
            Assert.Equal(SmallChannel, publisher.Frame(1).Frame.GetProperty("channel").GetString());
            time.Advance(options.Value.SummaryWindow - options.Value.EventWindow);
            await BoundedWait.UntilAsync(() => Task.FromResult(publisher.Count == 3), TimeSpan.FromSeconds(30), "the second window's summary");
            var (publishedAt, second) = publisher.Frame(2);
            Assert.Equal(Channel, second.GetProperty("channel").GetString());
            Assert.Equal((opened + options.Value.SummaryWindow).ToUnixTimeMilliseconds(), publishedAt);
            Assert.Equal(1, second.GetProperty("summary").GetProperty("joined").GetInt32());

            // Everyone leaves: the flush finds the channel small again, and its next window is an event window.
            var leaves = await store.ApplyAsync("replica-0",
                [.. Enumerable.Range(0, 601).Select(i => new PresenceChange(false, Entry(i)))], CancellationToken.None);
            batcher.Add(leaves.Transitions);
            time.Advance(options.Value.SummaryWindow);
            await BoundedWait.UntilAsync(() => Task.FromResult(publisher.Count >= 4), TimeSpan.FromSeconds(30), "the leave window's frames");
            Assert.Equal(options.Value.EventWindow, batcher.WindowOf(Channel));
        }
        finally
        {
            await batcher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void ASummaryWindowShorterThanTheEventWindowIsRefusedByName()
    {
        var options = new PresenceOptions { EventWindow = TimeSpan.FromSeconds(1), SummaryWindow = TimeSpan.FromMilliseconds(500) };

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));

        Assert.Contains("Presence:SummaryWindow", Assert.Single(results).ErrorMessage);
    }

    private static PresenceEntry Entry(int i) => new($"c{i}", Channel, $"user-{i}", $"User {i}");

    private static Task<PresenceUpdate> JoinAsync(InMemoryPresenceStore store, int from, int count) =>
        store.ApplyAsync("replica-0", [.. Enumerable.Range(from, count).Select(i => new PresenceChange(true, Entry(i)))], CancellationToken.None);

    /// <summary>A batcher over an in-memory store, a fake clock and a recording publisher, with its metrics' services.</summary>
    private sealed class BatcherRig : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

        public BatcherRig(IOptions<PresenceOptions> options)
        {
            Store = new InMemoryPresenceStore(options, Time);
            Telemetry = new PresenceTelemetry(_services.GetRequiredService<IMeterFactory>());
            Batcher = new PresenceEventBatcher(Publisher, Store, options, Time, Telemetry, NullLogger<PresenceEventBatcher>.Instance);
        }

        public FakeTimeProvider Time { get; } = new(DateTimeOffset.UnixEpoch.AddDays(20_000));
        public InMemoryPresenceStore Store { get; }
        public RecordingPublisher Publisher { get; } = new();
        public PresenceTelemetry Telemetry { get; }
        public PresenceEventBatcher Batcher { get; }

        public void Dispose()
        {
            Telemetry.Dispose();
            _services.Dispose();
        }
    }

    private static int Size(List<JsonElement> frames) => frames.Sum(f => f.GetRawText().Length);

    /// <summary>The frames one window of <paramref name="members"/> joins becomes, and the kind tag of each counted frame.</summary>
    private static async Task<(List<JsonElement> Frames, List<string> Kinds)> FlushJoinsAsync(int members, int threshold, int maxUsersPerFrame)
    {
        using var rig = new BatcherRig(Options.Create(new PresenceOptions { SummaryAboveMembers = threshold, MaxUsersPerFrame = maxUsersPerFrame }));
        var update = await JoinAsync(rig.Store, 0, members);
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

        rig.Batcher.Add(update.Transitions);
        await rig.Batcher.StopAsync(CancellationToken.None);

        return ([.. rig.Publisher.Payloads.Select(Frame)], kinds);
    }

    private static JsonElement Frame(byte[] payload)
    {
        var text = Encoding.UTF8.GetString(payload);
        return JsonDocument.Parse(text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..]).RootElement.Clone();
    }

    private sealed class RecordingPublisher : IPresencePublisher
    {
        public List<byte[]> Payloads { get; } = [];

        public int Count
        {
            get { lock (Payloads) { return Payloads.Count; } }
        }

        /// <summary>Frame <paramref name="index"/> and the publish time its fan-out header carries ("0 {ms} p\n{frame}").</summary>
        public (long PublishedAtMs, JsonElement Frame) Frame(int index)
        {
            byte[] payload;
            lock (Payloads) { payload = Payloads[index]; }
            var header = Encoding.UTF8.GetString(payload).Split('\n', 2)[0].Split(' ');
            return (long.Parse(header[1], System.Globalization.CultureInfo.InvariantCulture), PresenceSummaryTests.Frame(payload));
        }

        public Task PublishAsync(string channel, byte[] payload)
        {
            lock (Payloads) { Payloads.Add(payload); }
            return Task.CompletedTask;
        }
    }
}
