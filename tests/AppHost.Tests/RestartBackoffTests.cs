using RealtimeAspire.AppHost.Topology;

namespace RealtimeAspire.AppHost.Tests;

public sealed class RestartBackoffTests
{
    [Fact]
    public void BackoffDoublesFromTheMinimumAndStopsAtTheMaximum()
    {
        var backoff = new RestartBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromMilliseconds(500), backoff.Delay(0));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Delay(1));
        Assert.Equal(TimeSpan.FromSeconds(4), backoff.Delay(3));
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.Delay(7));
        Assert.Equal(TimeSpan.FromSeconds(30), backoff.Delay(1000));
    }
}
