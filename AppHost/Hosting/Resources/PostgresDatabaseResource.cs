using System.Text.RegularExpressions;

namespace RealtimeAspire.Hosting.Resources;

/// <summary>A database on a <see cref="PostgresServerResource"/>; healthy when its server is (the server creates it first).</summary>
public sealed partial class PostgresDatabaseResource : Resource, IResourceWithConnectionString
{
    public PostgresDatabaseResource(string name, PostgresServerResource server) : base(name)
    {
        if (!PlainName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain database name (lower-case letters, digits, '_').", nameof(name));
        }
        Server = server;
    }

    public override string Kind => "PostgreSQL database";

    public PostgresServerResource Server { get; }

    public string DatabaseName => Name;

    public string ConnectionName => Name;

    public string? GetConnectionString() => Server.ConnectionStringFor(DatabaseName);

    internal override Resource HealthOwner => Server;

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex PlainName();
}
