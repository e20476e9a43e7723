using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace RealtimeAspire.EdgeProxy.StaticContent;

/// <summary>
/// Serves the demo page (<c>/</c>) and the JavaScript client (<c>/client/realtime.js</c>, <c>.d.ts</c>, <c>.js.map</c>)
/// from the folder the build fills (<c>Edge.Proxy.csproj</c>, target <c>BuildWebClients</c>), before the proxy routes.
/// Nothing it serves overlaps a route: the proxy owns <c>/connect/*</c> and <c>/api/*</c>.
/// </summary>
public static class EdgeStaticContent
{
    public static IHostApplicationBuilder AddEdgeStaticContent(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeStaticContentOptions>()
            .BindConfiguration(EdgeStaticContentOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    public static IApplicationBuilder UseEdgeStaticContent(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<EdgeStaticContentOptions>>().Value;
        var root = options.FullRootPath;
        if (!options.Enabled || !Directory.Exists(root))
        {
            // Built without node: the edge still proxies; there is simply no page.
            return app;
        }
        var files = new PhysicalFileProvider(root);
        var contentTypes = new FileExtensionContentTypeProvider();
        contentTypes.Mappings[".map"] = "application/json";
        contentTypes.Mappings[".ts"] = "text/plain; charset=utf-8";
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = contentTypes,
            // Revalidate every time: the page and the client change with every build, and are small.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
