using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using RealtimeAspire.ServiceDefaults.Production;

namespace RealtimeAspire.ServiceDefaults.Tests;

public sealed class ProductionSettingsValidatorTests
{
    private const string RealKey = "q3ZVJ5c1kWm0pQ9bX2rT8uY7iO6aS4dF3gH1jK0lZ5x=";
    private const string DevKey = DevelopmentSecret.Prefix + "0123456789abcdef0123456789abcdef";

    [Fact]
    public void EveryDevelopmentSettingIsRefusedInProductionEachByItsKey()
    {
        var options = Read(new()
        {
            ["Auth:SigningKey"] = DevKey,
            ["Edge:Affinity:Secret"] = DevKey,
            ["Auth:DevTokenEndpoint"] = "true",
            ["ConnectionStrings:redis"] = $"localhost:6379,password={DevKey}",
            ["ConnectionStrings:messages"] = $"Host=db;Username=postgres;Password={DevKey};Database=messages",
            ["ConnectionStrings:kafka"] = "127.0.0.1:39092",
        });

        var result = Validator("Production").Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(6, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Auth:SigningKey is a development key", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Edge:Affinity:Secret is a development secret", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Auth:DevTokenEndpoint is true", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ConnectionStrings:redis holds a development password", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ConnectionStrings:messages holds a development password", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ConnectionStrings:kafka = '127.0.0.1:39092' points only at this machine", StringComparison.Ordinal));
    }

    [Fact]
    public void ProductionSettingsOfTheDeploymentsOwnPass()
    {
        var options = Read(new()
        {
            ["Auth:SigningKey"] = RealKey,
            ["Edge:Affinity:Secret"] = RealKey,
            ["Auth:DevTokenEndpoint"] = "false",
            ["ConnectionStrings:redis"] = "cache.example.net:10000,password=secret,ssl=true",
            ["ConnectionStrings:kafka"] = "ns.servicebus.windows.net:9093",
        });

        Assert.True(Validator("Production").Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Testing")]
    public void OutsideProductionNothingIsChecked(string environment)
    {
        var options = Read(new() { ["Auth:SigningKey"] = DevKey, ["Auth:DevTokenEndpoint"] = "true", ["ConnectionStrings:kafka"] = "127.0.0.1:9092" });

        Assert.True(Validator(environment).Validate(null, options).Skipped);
    }

    [Theory]
    [InlineData("127.0.0.1:9092", true)]
    [InlineData("localhost:9092,127.0.0.2:9093", true)]
    [InlineData("[::1]:9092", true)]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1:9092,kafka-0.internal:9092", false)]
    [InlineData("ns.servicebus.windows.net:9093", false)]
    [InlineData("SASL_SSL://ns.servicebus.windows.net:9093", false)]
    [InlineData("10.0.0.4:9092", false)]
    [InlineData("", false)]
    public void OnlyABootstrapListOfLoopbackAddressesIsTheDevBroker(string bootstrapServers, bool loopbackOnly) =>
        Assert.Equal(loopbackOnly, ProductionSettingsValidator.IsLoopbackOnly(bootstrapServers));

    [Theory]
    [InlineData("Development", null, true)]
    [InlineData("Production", null, false)]
    [InlineData("Production", "true", true)]
    [InlineData("Development", "false", false)]
    public void TheDevTokenEndpointFollowsItsSettingElseTheEnvironment(string environment, string? setting, bool enabled)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:DevTokenEndpoint"] = setting }).Build();

        Assert.Equal(enabled, ProductionSettingsOptions.IsDevTokenEndpointEnabled(configuration, new HostingEnvironment { EnvironmentName = environment }));
    }

    private static ProductionSettingsValidator Validator(string environment) => new(new HostingEnvironment { EnvironmentName = environment });

    private static ProductionSettingsOptions Read(Dictionary<string, string?> settings)
    {
        var options = new ProductionSettingsOptions();
        options.ReadFrom(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return options;
    }
}
