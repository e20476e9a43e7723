namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>
/// PostgreSQL from the machine's own binaries, its data in the AppHost's data folder (kept across runs). Under root
/// it runs as the <c>postgres</c> user through <c>setpriv</c>, since PostgreSQL refuses to run as root.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string command, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory: dataDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";
    public const string User = "postgres";

    public string DataDirectory { get; } = dataDirectory;

    public ParameterResource Password { get; } = password;

    public EndpointReference Endpoint => new(this, EndpointName);

    public List<LocalPostgresDatabaseResource> Databases { get; } = [];

    /// <summary>127.0.0.1, not localhost: the server listens on IPv4 only.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={Endpoint.Property(EndpointProperty.Port)};Username={User};Password={Password}");
}
