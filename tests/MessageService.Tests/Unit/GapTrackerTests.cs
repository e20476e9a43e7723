using Microsoft.Extensions.Time.Testing;
using RealtimeAspire.MessageService.Gaps;

namespace RealtimeAspire.MessageService.Tests.Unit;

public sealed class GapTrackerTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void AGapIsOverdueOnlyAfterTheGracePeriod()
    {
        var tracker = new GapTracker(_time, Grace);

        Assert.Empty(tracker.Observe("chat:a", [new SequenceRange(3, 3)]));
        _time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        Assert.Empty(tracker.Observe("chat:a", [new SequenceRange(3, 3)]));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([new SequenceRange(3, 3)], tracker.Observe("chat:a", [new SequenceRange(3, 3)]));
    }

    [Fact]
    public void AShrinkingGapKeepsItsAge()
    {
        var tracker = new GapTracker(_time, Grace);
        tracker.Observe("chat:a", [new SequenceRange(3, 6)]);
        _time.Advance(Grace);

        Assert.Equal([new SequenceRange(5, 6)], tracker.Observe("chat:a", [new SequenceRange(5, 6)]));
    }

    [Fact]
    public void AGapThatClosedAndReopensStartsAgain()
    {
        var tracker = new GapTracker(_time, Grace);
        tracker.Observe("chat:a", [new SequenceRange(3, 3)]);
        _time.Advance(Grace);
        tracker.Observe("chat:a", []);

        Assert.Empty(tracker.Observe("chat:a", [new SequenceRange(3, 3)]));
    }

    [Fact]
    public void ChannelsAreTrackedApartAndForgottenWhenNoLongerCandidates()
    {
        var tracker = new GapTracker(_time, Grace);
        tracker.Observe("chat:a", [new SequenceRange(3, 3)]);
        _time.Advance(Grace);

        Assert.Empty(tracker.Observe("chat:b", [new SequenceRange(3, 3)]));
        tracker.Retain(new HashSet<string> { "chat:b" });
        Assert.Empty(tracker.Observe("chat:a", [new SequenceRange(3, 3)]));
    }
}
