namespace RealtimeAspire.Deployment.Tests;

/// <summary>The image's config is what Container Apps runs: entrypoint, port, user, probes.</summary>
public sealed class ContainerImageTests(ContainerImageFixture image) : IClassFixture<ContainerImageFixture>
{
    private const string Service = ContainerImageFixture.Service;

    [Fact]
    public void TheImageRunsTheServiceAsANonRootUserOnPort8080()
    {
        var config = image.Config["config"]!;

        Assert.Equal(["dotnet", $"/app/{Service}.dll"], config["Entrypoint"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(["8080/tcp"], config["ExposedPorts"]!.AsObject().Select(p => p.Key));
        var user = config["User"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(user) || user is "0" or "root", $"User '{user}' is root");
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", Env());
        Assert.Equal("linux", image.Config["os"]!.GetValue<string>());
        Assert.Equal("amd64", image.Config["architecture"]!.GetValue<string>());
    }

    [Fact]
    public void TheImageServesItsProbesInProduction() =>
        // The platform sets the environment to Production; the probes stay on (ServiceDefaults' HealthEndpoints:Enabled).
        Assert.Contains("HealthEndpoints__Enabled=true", Env());

    [Fact]
    public void TheAppLayerHoldsThePublishedServiceOnTheBaseBuiltHere()
    {
        Assert.Contains($"app/{Service}.dll", image.AppFiles);
        Assert.Contains("app/appsettings.json", image.AppFiles);
        Assert.Equal(image.BaseDigest, image.Config["config"]!["Labels"]!["org.opencontainers.image.base.digest"]!.GetValue<string>());
    }

    private List<string> Env() => [.. image.Config["config"]!["Env"]!.AsArray().Select(e => e!.GetValue<string>())];
}
