using RealtimeAspire.Hosting.Resources;

namespace RealtimeAspire.Hosting;

public static class ResourceBuilderExtensions
{
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
