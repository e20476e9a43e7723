using RealtimeAspire.MessageService.Gaps;

namespace RealtimeAspire.MessageService.Tests.Unit;

public sealed class SequenceGapsTests
{
    [Fact]
    public void AContiguousRunAdvancesTheCheckedPrefixAndHasNoGaps()
    {
        var scan = SequenceGaps.Scan(0, [1, 2, 3, 4]);

        Assert.Equal(4, scan.ContiguousThrough);
        Assert.Empty(scan.Gaps);
    }

    [Fact]
    public void AHoleStopsThePrefixAndIsReportedAsARange()
    {
        var scan = SequenceGaps.Scan(0, [1, 2, 4, 5, 9]);

        Assert.Equal(2, scan.ContiguousThrough);
        Assert.Equal([new SequenceRange(3, 3), new SequenceRange(6, 8)], scan.Gaps);
    }

    [Fact]
    public void MissingFirstMessagesAreAGapFromTheCheckedPrefix()
    {
        var scan = SequenceGaps.Scan(10, [13, 14]);

        Assert.Equal(10, scan.ContiguousThrough);
        Assert.Equal([new SequenceRange(11, 12)], scan.Gaps);
    }

    [Fact]
    public void DuplicatesAndNumbersAtOrBelowThePrefixAreIgnored()
    {
        var scan = SequenceGaps.Scan(3, [2, 3, 4, 4, 5]);

        Assert.Equal(5, scan.ContiguousThrough);
        Assert.Empty(scan.Gaps);
    }

    [Fact]
    public void NothingNewLeavesThePrefixWhereItWas()
    {
        var scan = SequenceGaps.Scan(7, []);

        Assert.Equal(7, scan.ContiguousThrough);
        Assert.Empty(scan.Gaps);
    }
}
