using RealtimeAspire.Bench.Metrics;
using RealtimeAspire.Bench.Scenarios;

namespace RealtimeAspire.Bench.Tests;

public class DeliveryAccountingTests
{
    [Fact]
    public void EveryMessageOnceIsNeitherLostNorDuplicated()
    {
        var ledger = new DeliveryLedger(10);
        for (var s = 1; s <= 10; s++)
        {
            ledger.Record(s);
        }
        var totals = DeliveryTotals.From([ledger], 10);
        Assert.Equal(new DeliveryTotals(10, 10, 0, 0, 0), totals);
    }

    [Fact]
    public void MissingMessagesAreLostAndRepeatsAreDuplicates()
    {
        var ledger = new DeliveryLedger(5);
        foreach (var s in new[] { 1, 2, 2, 4, 4, 4 })
        {
            ledger.Record(s);
        }
        var totals = DeliveryTotals.From([ledger], 5);
        Assert.Equal(2, totals.Lost); // 3 and 5
        Assert.Equal(3, totals.Duplicates);
        Assert.Equal(6, totals.Delivered);
        Assert.Equal(5, totals.Expected);
    }

    [Fact]
    public void OutOfRangeSequencesAreUnexpectedNotDelivered()
    {
        var ledger = new DeliveryLedger(3);
        ledger.Record(0);
        ledger.Record(4);
        ledger.Record(-1);
        Assert.Equal(3, ledger.Unexpected);
        Assert.Equal(0, ledger.Distinct);
        Assert.Equal(3, ledger.LostOf(3));
    }

    [Fact]
    public void LossIsCountedPerSubscriberAgainstWhatWasPublishedToIt()
    {
        var a = new DeliveryLedger(3);
        var b = new DeliveryLedger(3);
        a.Record(1);
        a.Record(2);
        b.Record(1);
        var totals = DeliveryTotals.From([(a, 2L), (b, 3L)]);
        Assert.Equal(5, totals.Expected);
        Assert.Equal(2, totals.Lost); // b misses 2 and 3
    }

    [Theory]
    [InlineData(0, 10, 3, 4)]
    [InlineData(1, 10, 3, 3)]
    [InlineData(2, 10, 3, 3)]
    [InlineData(4, 3, 5, 0)]
    public void RoundRobinRoomsGetTheirShare(int room, long count, int rooms, long expected) =>
        Assert.Equal(expected, ChatScenario.PublishedTo(room, count, rooms));
}
