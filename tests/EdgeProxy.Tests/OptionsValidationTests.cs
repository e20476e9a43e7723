using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RealtimeAspire.EdgeProxy.Affinity;
using RealtimeAspire.EdgeProxy.Health;
using RealtimeAspire.EdgeProxy.Limits;
using RealtimeAspire.EdgeProxy.RateLimiting;
using RealtimeAspire.EdgeProxy.Routing;

namespace RealtimeAspire.EdgeProxy.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public void DefaultsAreValid()
    {
        Assert.Empty(Errors(new EdgeProxyOptions()));
        Assert.Empty(Errors(new EdgeHealthOptions()));
        Assert.Empty(Errors(new EdgeLimitsOptions()));
        Assert.Empty(Errors(new EdgeAffinityOptions()));
        Assert.Empty(Errors(new AllowedOriginsOptions()));
        Assert.True(new EdgeRateLimitingOptionsValidator().Validate(null, new EdgeRateLimitingOptions()).Succeeded);
    }

    [Fact]
    public void RateLimitValidatorReportsEveryErrorByItsConfigurationKey()
    {
        var options = new EdgeRateLimitingOptions { QueueLimit = -1 };
        options.Connect.PerUser.PermitsPerSecond = 0;
        options.Publish.Global.Burst = 0;
        options.Poll.PerIp.PermitsPerSecond = 0;

        var result = new EdgeRateLimitingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToArray();
        Assert.Equal(4, failures.Length);
        Assert.Contains(failures, f => f.StartsWith("Edge:RateLimiting:QueueLimit ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Edge:RateLimiting:Connect:PerUser:PermitsPerSecond ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Edge:RateLimiting:Publish:Global:Burst ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Edge:RateLimiting:Poll:PerIp:PermitsPerSecond ", StringComparison.Ordinal));
    }

    [Fact]
    public void RateLimitsBindFromConfiguration()
    {
        var options = Bind<EdgeRateLimitingOptions>(EdgeRateLimitingOptions.SectionName, new()
        {
            ["Edge:RateLimiting:Connect:PerUser:PermitsPerSecond"] = "2",
            ["Edge:RateLimiting:QueueLimit"] = "7",
        });

        Assert.Equal(2, options.Connect.PerUser.PermitsPerSecond);
        Assert.Equal(30, options.Connect.PerUser.Burst);
        Assert.Equal(7, options.QueueLimit);
    }

    [Fact]
    public void ActivityTimeoutShorterThanALongPollHoldIsRefused()
    {
        var errors = Errors(new EdgeProxyOptions { ActivityTimeout = TimeSpan.FromSeconds(20) });

        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(EdgeProxyOptions.ActivityTimeout)));
    }

    [Theory]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64 at all")]
    public void AffinitySecretMustBeAtLeast32Characters(string secret)
    {
        var errors = Errors(new EdgeAffinityOptions { Secret = secret });

        Assert.Contains(errors, e => e.ErrorMessage!.StartsWith("Edge:Affinity:Secret ", StringComparison.Ordinal));
    }

    [Fact]
    public void ConfiguredAffinitySecretIsUsedAsIs()
    {
        var secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(secret), new EdgeAffinityOptions { Secret = secret }.SecretBytes());
        Assert.Empty(Errors(new EdgeAffinityOptions { Secret = secret }));
    }

    [Fact]
    public void AllowedOriginsReportEveryMalformedEntryByIndex()
    {
        var errors = Errors(new AllowedOriginsOptions { AllowedOrigins = ["https://app.example.com", "app.example.com", "https://x.example/path", "*", "ftp://files.example"] });

        Assert.Equal(["Cors:AllowedOrigins:1", "Cors:AllowedOrigins:2", "Cors:AllowedOrigins:4"], errors.Select(e => e.ErrorMessage![..e.ErrorMessage!.IndexOf(' ', StringComparison.Ordinal)]));
    }

    [Fact]
    public void InvalidEdgeSettingsStopTheHostAtStartup()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Edge:Limits:MaxRequestHeaderCount"] = "0",
            ["Edge:RateLimiting:Connect:PerIp:Burst"] = "0",
        });
        builder.AddEdgeLimits();
        builder.AddEdgeRateLimiting();
        using var host = builder.Build();

        var limits = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<EdgeLimitsOptions>>().Value);
        var rates = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<EdgeRateLimitingOptions>>().Value);
        Assert.Contains("MaxRequestHeaderCount", limits.Message, StringComparison.Ordinal);
        Assert.Contains("Edge:RateLimiting:Connect:PerIp:Burst", rates.Message, StringComparison.Ordinal);
    }

    private static List<ValidationResult> Errors(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    private static T Bind<T>(string section, Dictionary<string, string?> values) where T : new()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }
}
