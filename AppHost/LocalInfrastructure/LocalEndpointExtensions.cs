namespace RealtimeAspire.AppHost.LocalInfrastructure;

public static class LocalEndpointExtensions
{
    /// <summary>
    /// A TCP endpoint the process binds itself (no proxy), on a port fixed for the AppHost's life
    /// (<see cref="LocalPortAllocator"/>): a restart keeps the address its consumers were given.
    /// </summary>
    public static IResourceBuilder<T> WithLocalTcpEndpoint<T>(this IResourceBuilder<T> builder, string name) where T : IResourceWithEndpoints
    {
        var port = LocalPortAllocator.GetFreePort();
        return builder.WithEndpoint(name, endpoint =>
        {
            endpoint.UriScheme = "tcp";
            endpoint.IsProxied = false;
            endpoint.Port = port;
            endpoint.TargetPort = port;
        });
    }
}
