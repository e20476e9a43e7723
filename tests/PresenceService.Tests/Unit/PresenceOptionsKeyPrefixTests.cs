using System.ComponentModel.DataAnnotations;
using RealtimeAspire.PresenceService.Configuration;

namespace RealtimeAspire.PresenceService.Tests.Unit;

/// <summary>A prefix without a hash tag would spread one script's keys over many cluster slots: refused at start-up.</summary>
public sealed class PresenceOptionsKeyPrefixTests
{
    [Theory]
    [InlineData("rt:{presence}:")]
    [InlineData("{p}")]
    [InlineData("tenant-a:{presence-eu}:")]
    public void APrefixWithAHashTagIsAccepted(string prefix) => Assert.Empty(Validate(prefix));

    [Theory]
    [InlineData("rt:presence:")]
    [InlineData("rt:{}:")]
    [InlineData("rt:{presence:")]
    [InlineData("rt:}presence{:")]
    public void APrefixWithoutAHashTagIsRefusedNamingTheKey(string prefix)
    {
        var error = Assert.Single(Validate(prefix));
        Assert.Contains("Presence:KeyPrefix", error.ErrorMessage, StringComparison.Ordinal);
    }

    private static List<ValidationResult> Validate(string prefix)
    {
        var options = new PresenceOptions { KeyPrefix = prefix };
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
