namespace RealtimeAspire.Hosting.Tests;

public sealed class RestartBackoffTests
{
    [Fact]
    public void BackoffDoublesFromTheMinimumAndStopsAtTheMaximum()
    {
        var options = new AppHostOptions { MinRestartDelay = TimeSpan.FromMilliseconds(500), MaxRestartDelay = TimeSpan.FromSeconds(30) };

        Assert.Equal(TimeSpan.FromMilliseconds(500), options.RestartBackoff(0));
        Assert.Equal(TimeSpan.FromSeconds(1), options.RestartBackoff(1));
        Assert.Equal(TimeSpan.FromSeconds(4), options.RestartBackoff(3));
        Assert.Equal(TimeSpan.FromSeconds(30), options.RestartBackoff(7));
        Assert.Equal(TimeSpan.FromSeconds(30), options.RestartBackoff(1000));
    }
}
