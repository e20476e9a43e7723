namespace RealtimeAspire.Hosting.Resources;

/// <summary>A resource its consumers reach through <c>ConnectionStrings__{ConnectionName}</c>.</summary>
public interface IResourceWithConnectionString
{
    string ConnectionName { get; }

    /// <summary>The connection string as of now, or null while the resource does not know it yet (a broker still starting).</summary>
    string? GetConnectionString();
}
