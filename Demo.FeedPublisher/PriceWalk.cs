namespace RealtimeAspire.Demo.FeedPublisher;

/// <summary>Simulated prices: each step moves one symbol, in turn, by at most ±1 %, never below 1.</summary>
public sealed class PriceWalk(IReadOnlyList<string> symbols, Random random)
{
    private readonly double[] _prices = [.. symbols.Select((_, i) => 100.0 / (i + 1))];
    private int _next;

    public (string Symbol, double Price) Step()
    {
        var i = _next++ % symbols.Count;
        _prices[i] = Math.Max(1, _prices[i] * (1 + (random.NextDouble() - 0.5) / 50));
        return (symbols[i], Math.Round(_prices[i], 2));
    }
}
