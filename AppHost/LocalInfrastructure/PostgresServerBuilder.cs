namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>
/// What <see cref="LocalPostgresExtensions.AddLocalPostgres"/> declared: the local server, Aspire's container (publish),
/// or nothing when the databases' connection strings are configured. Databases are added the same way in every case.
/// </summary>
public sealed class PostgresServerBuilder
{
    private readonly IDistributedApplicationBuilder _builder;
    private readonly Func<string, IResourceBuilder<IResourceWithConnectionString>> _addDatabase;

    internal PostgresServerBuilder(IDistributedApplicationBuilder builder, Func<string, IResourceBuilder<IResourceWithConnectionString>> addDatabase)
    {
        _builder = builder;
        _addDatabase = addDatabase;
    }

    /// <summary>The database's connection string is <c>ConnectionStrings:{name}</c> when configured (an existing server).</summary>
    public IResourceBuilder<IResourceWithConnectionString> AddDatabase(string name) =>
        _builder.Configuration.GetConnectionString(name) is not null && !_builder.ExecutionContext.IsPublishMode
            ? _builder.AddConnectionString(name)
            : _addDatabase(name);
}
