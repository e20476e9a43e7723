namespace RealtimeAspire.AppHost.LocalInfrastructure;

/// <summary>
/// A Redis-protocol server run by the AppHost: <c>redis-server</c> when the machine has it, else Garnet from the
/// repository's tool manifest (<see cref="Server"/> says which). No persistence: the recent history is a cache and the
/// services recover a lost sequence counter (docs/message-service.md).
/// </summary>
public sealed class LocalRedisResource(string name, string command, string server, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory: LocalInfrastructureOptions.RepositoryRoot), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";
    public const string RedisServer = "redis-server";
    public const string Garnet = "garnet";

    /// <summary><see cref="RedisServer"/> or <see cref="Garnet"/>.</summary>
    public string Server { get; } = server;

    public ParameterResource Password { get; } = password;

    public EndpointReference Endpoint => new(this, EndpointName);

    /// <summary>StackExchange.Redis configuration, as Aspire's Redis resource gives it.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Endpoint.Property(EndpointProperty.Port)},password={Password}");
}
