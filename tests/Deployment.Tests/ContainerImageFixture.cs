using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using RealtimeAspire.AppHost.LocalInfrastructure;
using RealtimeAspire.Testing;

namespace RealtimeAspire.Deployment.Tests;

/// <summary>
/// A service's container image as the .NET SDK builds it (<c>dotnet publish -t:PublishContainer</c>, no Dockerfile, no
/// Docker engine: <c>ContainerArchiveOutputPath</c> writes the image as a tarball), on a base image built here and pulled
/// from a loopback registry.
/// </summary>
public sealed class ContainerImageFixture : IAsyncLifetime
{
    public const string Service = "Presence.Service";

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    private readonly string _folder = TestData.NewFolder("image");

    public JsonNode Config { get; private set; } = null!;

    public string BaseDigest { get; private set; } = "";

    public List<string> AppFiles { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var layout = await BaseImageLayout.GetOrBuildAsync();
        BaseDigest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "index.json")))!["manifests"]![0]!["digest"]!.GetValue<string>();
        var tag = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "index.json")))!["manifests"]![0]!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>();
        await using var registry = await OciLayoutRegistry.StartAsync(layout);

        var archive = Path.Combine(_folder, "presence-service.tar.gz");
        var project = Path.Combine(LocalInfrastructureOptions.RepositoryRoot, Service, $"{Service}.csproj");
        // Its own artifacts folder: a RID-specific publish must not rewrite the obj/ the solution's build and tests use.
        var (exitCode, output) = await ProcessRun.RunAsync("dotnet",
        [
            "publish", project, "-c", LocalInfrastructureOptions.BuildConfiguration, "-t:PublishContainer", "-nologo", "-v", "quiet", "-warnaserror",
            "--artifacts-path", Path.Combine(_folder, "artifacts"),
            "-p:RuntimeIdentifier=linux-x64", "-p:SelfContained=false", "-p:ContainerRuntimeIdentifier=linux-x64",
            $"-p:ContainerBaseImage={registry.Host}/realtime-aspire/aspnet:{tag}",
            $"-p:ContainerArchiveOutputPath={archive}",
        ], PublishTimeout);
        Assert.True(exitCode == 0 && File.Exists(archive), $"dotnet publish -t:PublishContainer failed ({exitCode}):\n{output}");

        var image = Path.Combine(_folder, "image");
        Directory.CreateDirectory(image);
        await TarFile.ExtractToDirectoryAsync(archive, image, overwriteFiles: false);
        var index = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(image, "index.json")))!;
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Blob(image, index["manifests"]![0]!["digest"]!.GetValue<string>())))!;
        Config = JsonNode.Parse(await File.ReadAllTextAsync(Blob(image, manifest["config"]!["digest"]!.GetValue<string>())))!;
        AppFiles = await EntriesAsync(Blob(image, manifest["layers"]!.AsArray()[^1]!["digest"]!.GetValue<string>()));
    }

    public Task DisposeAsync()
    {
        TestData.Delete(_folder);
        return Task.CompletedTask;
    }

    private static string Blob(string image, string digest) => Path.Combine(image, "blobs", "sha256", digest["sha256:".Length..]);

    private static async Task<List<string>> EntriesAsync(string layer)
    {
        var names = new List<string>();
        await using var gzip = new GZipStream(File.OpenRead(layer), CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            names.Add(entry.Name.TrimStart('.', '/'));
        }
        return names;
    }
}
