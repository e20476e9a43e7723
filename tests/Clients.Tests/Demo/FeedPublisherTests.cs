using RealtimeAspire.Client;
using RealtimeAspire.Demo.FeedPublisher;

namespace RealtimeAspire.Clients.Tests.Demo;

/// <summary>The AppHost's feed-publisher resource: what the demo page's live feed panel shows without anyone typing.</summary>
[Collection(nameof(ClientTopologyCollection))]
public sealed class FeedPublisherTests(ClientTopologyFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheFeedPublisherSendsDurablePricesAndEphemeralTicksThroughTheEdge()
    {
        await using var reader = TestClient.Create(fixture, Unique.Name("feed-reader"), [RealtimeTransport.WebSocket]);
        await Eventually.ConnectedAsync(reader.Client, s_timeout);
        await using var prices = new Collected(reader.Client, "feed:prices", since: null);
        await using var ticks = new Collected(reader.Client, "live:ticks", since: null);

        await Eventually.TrueAsync(() => prices.Messages.Count >= 2 && ticks.Messages.Count >= 4, s_timeout, "prices and ticks from the feed publisher");

        Assert.All(prices.Messages, m => Assert.Equal(FeedPublisherExtensions.Publisher, m.From));
        Assert.All(prices.Messages, m => Assert.True(m.Data.GetProperty("price").GetDouble() >= 1));
        // Durable: numbered by the channel, one after the other.
        Assert.Equal(prices.Seqs.Order(), prices.Seqs);
        Assert.All(ticks.Messages, m => Assert.InRange(m.Data.GetProperty("value").GetDouble(), 0, 1));
    }

    [Fact]
    public void PricesMoveEachSymbolInTurnByAtMostOnePercentAndNeverBelowOne()
    {
        var walk = new PriceWalk(["A", "B"], new Random(7));
        var last = new Dictionary<string, double> { ["A"] = 100, ["B"] = 50 };

        for (var i = 0; i < 1000; i++)
        {
            var (symbol, price) = walk.Step();
            Assert.Equal(i % 2 == 0 ? "A" : "B", symbol);
            Assert.True(price >= 1);
            Assert.InRange(price, last[symbol] * 0.989, last[symbol] * 1.011);
            last[symbol] = price;
        }
    }
}
