using RealtimeAspire.ConnectionService.Channels;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

public sealed class ChannelOptionsValidatorTests
{
    [Fact]
    public void ReportsEveryInvalidSettingWithItsConfigurationKey()
    {
        var options = new ChannelOptions
        {
            Namespaces =
            {
                ["chat"] = new NamespaceOptions { HistorySize = 0, MaxMessageBytes = 0 },
                ["Bad NS"] = new NamespaceOptions(),
                ["feed"] = new NamespaceOptions { HistoryTtl = TimeSpan.Zero, TypingInterval = TimeSpan.Zero },
            },
        };

        var result = new ChannelOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToArray();
        Assert.Contains(failures, f => f.StartsWith("Channels:Namespaces:chat:HistorySize", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Channels:Namespaces:chat:MaxMessageBytes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Channels:Namespaces:Bad NS", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Channels:Namespaces:feed:HistoryTtl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Channels:Namespaces:feed:TypingInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void NoNamespaceAtAllIsAnError() =>
        Assert.True(new ChannelOptionsValidator().Validate(null, new ChannelOptions()).Failed);
}
