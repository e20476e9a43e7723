using RealtimeAspire.ConnectionService.History;

namespace RealtimeAspire.ConnectionService.Tests.Unit;

public sealed class ClaimBatchOptionsValidatorTests
{
    [Fact]
    public void TheDefaultsAreValid() =>
        Assert.True(new ClaimBatchOptionsValidator().Validate(null, new ClaimBatchOptions()).Succeeded);

    [Theory]
    [InlineData(-1, 128, "Sequence:ClaimBatch:Window")]
    [InlineData(1001, 128, "Sequence:ClaimBatch:Window")]
    [InlineData(2, 0, "Sequence:ClaimBatch:MaxChannels")]
    [InlineData(2, 10_001, "Sequence:ClaimBatch:MaxChannels")]
    public void AnOutOfRangeSettingIsRefusedWithItsConfigurationKey(int windowMs, int maxChannels, string key)
    {
        var result = new ClaimBatchOptionsValidator().Validate(null, new ClaimBatchOptions { Window = TimeSpan.FromMilliseconds(windowMs), MaxChannels = maxChannels });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void AZeroWindowIsAllowed() =>
        Assert.True(new ClaimBatchOptionsValidator().Validate(null, new ClaimBatchOptions { Window = TimeSpan.Zero, MaxChannels = 1 }).Succeeded);
}
