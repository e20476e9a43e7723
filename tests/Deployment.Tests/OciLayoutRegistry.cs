using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RealtimeAspire.Deployment.Tests;

/// <summary>
/// A read-only OCI distribution registry on loopback serving one image layout (the pull side of the spec: manifests by
/// tag or digest, blobs by digest), so the SDK's container tooling can pull a base image that was built here. The SDK
/// talks plain HTTP to a localhost registry.
/// </summary>
public sealed class OciLayoutRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OciLayoutRegistry(WebApplication app) => _app = app;

    /// <summary><c>localhost:port</c>, as ContainerBaseImage names a registry.</summary>
    public string Host { get; private set; } = "";

    public static async Task<OciLayoutRegistry> StartAsync(string layout)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var index = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "index.json")))!;

        app.MapMethods("/v2/", ["GET", "HEAD"], () => Results.Json(new { }));
        app.MapMethods("/v2/{**path}", ["GET", "HEAD"], (string path, HttpContext context) =>
        {
            var parts = path.Split('/');
            if (parts.Length < 3 || parts[^2] is not ("manifests" or "blobs"))
            {
                return Results.NotFound();
            }
            var reference = parts[^1];
            var digest = reference.StartsWith("sha256:", StringComparison.Ordinal)
                ? reference
                : index["manifests"]!.AsArray().FirstOrDefault(m => (string?)m!["annotations"]?["org.opencontainers.image.ref.name"] == reference)?["digest"]?.GetValue<string>();
            var file = digest is null ? null : Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
            if (file is null || !File.Exists(file))
            {
                return Results.NotFound();
            }
            var contentType = parts[^2] == "manifests"
                ? JsonNode.Parse(File.ReadAllText(file))!["mediaType"]!.GetValue<string>()
                : "application/octet-stream";
            context.Response.Headers["Docker-Content-Digest"] = digest;
            return Results.File(file, contentType);
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new OciLayoutRegistry(app) { Host = $"localhost:{address.Port}" };
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
