using System.Xml.Linq;
using RealtimeAspire.AppHost.LocalInfrastructure;

namespace RealtimeAspire.AppHost.Tests;

/// <summary>
/// <c>azure.yaml</c> at the root is what azd reads: one service, the AppHost, hosted on Container Apps. azd treats a
/// dotnet project as an Aspire AppHost when its project file says <c>IsAspireHost</c>; that is what makes azd read
/// the manifest instead of deploying the AppHost itself as an app.
/// </summary>
public sealed class AzureYamlTests
{
    private static readonly string Root = LocalInfrastructureOptions.RepositoryRoot;

    [Fact]
    public void AzureYamlDeclaresTheAppHostAsOneContainerAppService()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "azure.yaml"))
            .Where(line => !line.TrimStart().StartsWith('#') && line.Trim().Length > 0)
            .ToList();

        Assert.Contains("name: realtime-aspire", lines);
        Assert.Equal(["services:", "  app:", "    language: dotnet", "    project: ./AppHost/AppHost.csproj", "    host: containerapp"],
            lines.SkipWhile(line => line != "services:").ToList());
    }

    [Fact]
    public void TheProjectAzureYamlPointsAtIsAnAspireHost()
    {
        var project = Path.Combine(Root, "AppHost", "AppHost.csproj");

        var document = XDocument.Load(project);

        Assert.StartsWith("Aspire.AppHost.Sdk/", document.Root!.Attribute("Sdk")!.Value, StringComparison.Ordinal);
        Assert.Equal("true", document.Descendants("IsAspireHost").Single().Value);
    }
}
