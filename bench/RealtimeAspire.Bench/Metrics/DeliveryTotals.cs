namespace RealtimeAspire.Bench.Metrics;

/// <summary>Loss and duplicates over all subscribers of a run.</summary>
internal sealed record DeliveryTotals(long Expected, long Delivered, long Lost, long Duplicates, long Unexpected)
{
    /// <summary>Every subscriber should have received every one of <paramref name="published"/> messages once.</summary>
    public static DeliveryTotals From(IEnumerable<DeliveryLedger> ledgers, long published) =>
        From(ledgers.Select(l => (l, published)));

    /// <summary>Each ledger with the number of messages its subscriber should have received.</summary>
    public static DeliveryTotals From(IEnumerable<(DeliveryLedger Ledger, long Published)> expectations)
    {
        long expected = 0, delivered = 0, lost = 0, duplicates = 0, unexpected = 0;
        foreach (var (ledger, published) in expectations)
        {
            expected += published;
            delivered += ledger.Distinct + ledger.Duplicates;
            lost += ledger.LostOf(published);
            duplicates += ledger.Duplicates;
            unexpected += ledger.Unexpected;
        }
        return new DeliveryTotals(expected, delivered, lost, duplicates, unexpected);
    }
}
