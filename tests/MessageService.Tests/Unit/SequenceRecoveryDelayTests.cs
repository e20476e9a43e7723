using RealtimeAspire.MessageService.Recovery;

namespace RealtimeAspire.MessageService.Tests.Unit;

public sealed class SequenceRecoveryDelayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(1);

    [Fact]
    public void WithoutLostAtTheWholeDeliveryTimeoutIsWaited() =>
        Assert.Equal(Delivery, MaxSequenceQuery.DelayBeforeReading(Now, null, Delivery, Skew));

    [Fact]
    public void ALossLongAgoNeedsNoWait() =>
        Assert.Equal(TimeSpan.Zero, MaxSequenceQuery.DelayBeforeReading(Now, Now.AddHours(-1), Delivery, Skew));

    [Fact]
    public void ALossExactlyDeliveryTimeoutPlusMarginAgoNeedsNoWait() =>
        Assert.Equal(TimeSpan.Zero, MaxSequenceQuery.DelayBeforeReading(Now, Now - Delivery - Skew, Delivery, Skew));

    [Fact]
    public void ARecentLossIsWaitedOutUntilLostAtPlusDeliveryTimeoutPlusMargin() =>
        Assert.Equal(TimeSpan.FromSeconds(4), MaxSequenceQuery.DelayBeforeReading(Now, Now.AddSeconds(-2), Delivery, Skew));

    [Theory]
    [InlineData(-0.5)]
    [InlineData(0)]
    [InlineData(3600)]
    public void TheWaitNeverExceedsTheDeliveryTimeout(double lostSecondsFromNow) =>
        Assert.Equal(Delivery, MaxSequenceQuery.DelayBeforeReading(Now, Now.AddSeconds(lostSecondsFromNow), Delivery, Skew));

    [Fact]
    public void TheLargestLostAtDoesNotOverflow() =>
        Assert.Equal(Delivery, MaxSequenceQuery.DelayBeforeReading(Now, DateTimeOffset.MaxValue, Delivery, Skew));
}
