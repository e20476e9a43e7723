using Microsoft.Extensions.Time.Testing;
using RealtimeAspire.MessageService.Gaps;

namespace RealtimeAspire.MessageService.Tests.Unit;

public sealed class TailTrackerTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ATailIsOverdueOnlyAGracePeriodAfterItsNumbersWereSeen()
    {
        var tracker = new TailTracker(_time, Grace);

        Assert.Null(tracker.Observe("chat:a", knownThrough: 4, counter: 7));
        _time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        Assert.Null(tracker.Observe("chat:a", 4, 7));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new SequenceRange(5, 7), tracker.Observe("chat:a", 4, 7));
    }

    [Fact]
    public void NumbersHandedOutLaterAreNotOverdueWithTheOldOnes()
    {
        var tracker = new TailTracker(_time, Grace);
        tracker.Observe("chat:a", 4, 7);
        _time.Advance(Grace / 2);
        tracker.Observe("chat:a", 4, 9);
        _time.Advance(Grace / 2);

        // 5..7 were there a grace period ago; 8 and 9 only half of it.
        Assert.Equal(new SequenceRange(5, 7), tracker.Observe("chat:a", 4, 9));
        _time.Advance(Grace / 2);
        Assert.Equal(new SequenceRange(5, 9), tracker.Observe("chat:a", 4, 9));
    }

    [Fact]
    public void AConsumerThatKeepsUpNeverHasAnOverdueTail()
    {
        var tracker = new TailTracker(_time, Grace);
        // A steady flow: the counter is always a little ahead, but each number is persisted within a second.
        for (var second = 0; second < 60; second++)
        {
            Assert.Null(tracker.Observe("chat:a", knownThrough: second * 40, counter: second * 40 + 20));
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public void ACaughtUpChannelIsForgotten()
    {
        var tracker = new TailTracker(_time, Grace);
        tracker.Observe("chat:a", 4, 7);
        Assert.Null(tracker.Observe("chat:a", 7, 7));
        _time.Advance(Grace);

        // 8 is new: its grace period starts now, not when 5..7 were first seen.
        Assert.Null(tracker.Observe("chat:a", 7, 8));
    }

    [Fact]
    public void APartlyPersistedTailOnlyReportsWhatIsStillMissing()
    {
        var tracker = new TailTracker(_time, Grace);
        tracker.Observe("chat:a", 4, 7);
        _time.Advance(Grace);

        Assert.Equal(new SequenceRange(7, 7), tracker.Observe("chat:a", 6, 7));
    }

    [Fact]
    public void RetainForgetsChannelsNoLongerChecked()
    {
        var tracker = new TailTracker(_time, Grace);
        tracker.Observe("chat:a", 4, 7);
        tracker.Retain(new HashSet<string>());
        _time.Advance(Grace);

        Assert.Null(tracker.Observe("chat:a", 4, 7));
    }
}
