using System.ComponentModel.DataAnnotations;
using RealtimeAspire.MessageService.Configuration;

namespace RealtimeAspire.MessageService.Tests.Unit;

public sealed class GapRepairOptionsTests
{
    private static List<ValidationResult> Validate(GapRepairOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void TheDefaultsAreValid() => Assert.Empty(Validate(new GapRepairOptions()));

    [Fact]
    public void ATailWindowNotAboveTheGracePeriodIsRefusedByItsKey()
    {
        var result = Assert.Single(Validate(new GapRepairOptions { GracePeriod = TimeSpan.FromSeconds(10), TailWindow = TimeSpan.FromSeconds(10) }));

        Assert.Equal("MessageService:GapRepair:TailWindow must exceed MessageService:GapRepair:GracePeriod.", result.ErrorMessage);
    }

    [Fact]
    public void ATailWindowOutOfRangeIsRefused()
    {
        var result = Assert.Single(Validate(new GapRepairOptions { TailWindow = TimeSpan.FromDays(8) }));

        Assert.Contains(nameof(GapRepairOptions.TailWindow), result.MemberNames);
    }
}
