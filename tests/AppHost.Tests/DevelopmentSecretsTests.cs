using Aspire.Hosting;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.Testing;

namespace RealtimeAspire.AppHost.Tests;

public sealed class DevelopmentSecretsTests : IDisposable
{
    private readonly string _folder = TestData.NewFolder("secrets");

    [Fact]
    public void APublishGeneratesNothingTheDeploymentSuppliesItsSecrets()
    {
        var builder = DistributedApplication.CreateBuilder(["--publisher", "manifest", "--output-path", Path.Combine(_folder, "manifest.json")]);

        new DevelopmentSecrets(builder, Path.Combine(_folder, "secrets.json")).Parameter("auth-signing-key");

        Assert.Null(builder.Configuration["Parameters:auth-signing-key"]);
        Assert.False(File.Exists(Path.Combine(_folder, "secrets.json")));
    }

    public void Dispose() => TestData.Delete(_folder);
}
