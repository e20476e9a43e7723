using System.ComponentModel.DataAnnotations;

namespace RealtimeAspire.EdgeProxy.StaticContent;

/// <summary>Section <c>Edge:StaticContent</c>: the demo page at <c>/</c> and the JavaScript client at <c>/client/</c>.</summary>
public sealed class EdgeStaticContentOptions
{
    public const string SectionName = "Edge:StaticContent";

    /// <summary>The folder <c>Edge.Proxy.csproj</c> fills at build time (<c>wwwroot</c> beside the assembly).</summary>
    public const string DefaultRootPath = "wwwroot";

    public bool Enabled { get; set; } = true;

    /// <summary>Folder served; relative paths are resolved against the assembly's folder.</summary>
    [Required(AllowEmptyStrings = false)]
    public string RootPath { get; set; } = DefaultRootPath;

    public string FullRootPath => Path.GetFullPath(RootPath, AppContext.BaseDirectory);
}
