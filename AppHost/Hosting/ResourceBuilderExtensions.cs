using RealtimeAspire.Hosting.Resources;

namespace RealtimeAspire.Hosting;

public static class ResourceBuilderExtensions
{
    /// <summary>The niceness of the services every other one waits on (Redis, Presence.Service) on a shared machine.</summary>
    public const int ControlPlaneNiceness = -5;

    /// <summary>
    /// Runs several copies. Unlike Aspire, which puts one proxy in front of all replicas (defeating sticky routing),
    /// each replica keeps its own endpoint and consumers see them as <c>services__x__http__0..n</c>.
    /// </summary>
    public static ResourceBuilder<ProjectResource> WithReplicas(this ResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    /// <summary>
    /// Runs the resource's processes at this niceness (<see cref="Resource.Niceness"/>). A negative value needs root or
    /// CAP_SYS_NICE; without it the process starts at normal priority and its log says so.
    /// </summary>
    public static ResourceBuilder<T> WithNiceness<T>(this ResourceBuilder<T> builder, int niceness) where T : Resource
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(niceness, -20);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(niceness, 19);
        builder.Resource.Niceness = niceness;
        return builder;
    }

    /// <summary>A fixed public port; 0 picks a free one (tests).</summary>
    public static ResourceBuilder<ProjectResource> WithHttpEndpoint(this ResourceBuilder<ProjectResource> builder, int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        builder.Resource.FixedPort = port;
        return builder;
    }

    public static ResourceBuilder<PostgresDatabaseResource> AddDatabase(this ResourceBuilder<PostgresServerResource> builder, string name)
    {
        var database = new PostgresDatabaseResource(name, builder.Resource);
        builder.Resource.Databases.Add(database);
        if (builder.ApplicationBuilder.Configuration.GetConnectionString(name) is { } external)
        {
            builder.Resource.ExternalConnectionString = external;
        }
        return new ResourceBuilder<PostgresDatabaseResource>(builder.ApplicationBuilder, database);
    }
}
