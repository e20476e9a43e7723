using System.Diagnostics;
using Npgsql;
using RealtimeAspire.Hosting.Infrastructure;
using RealtimeAspire.Hosting.Orchestration;

namespace RealtimeAspire.Hosting.Resources;

/// <summary>
/// PostgreSQL from the machine's own binaries, data in the AppHost's data folder (kept across runs),
/// or an existing server when <c>ConnectionStrings:{database}</c> is configured.
/// </summary>
public sealed class PostgresServerResource(string name, string dataDirectory, string password, AppHostOptions options)
    : Resource(name), IProcessResource
{
    public const string User = "postgres";
    private const string OperatingSystemUser = "postgres";

    public override string Kind => "PostgreSQL";

    public int Port { get; } = PortAllocator.GetFreePort();

    public string DataDirectory { get; } = dataDirectory;

    public List<PostgresDatabaseResource> Databases { get; } = [];

    /// <summary>Set when a database's connection string is configured: that server is used and nothing is started.</summary>
    public string? ExternalConnectionString { get; internal set; }

    public bool IsExternal => ExternalConnectionString is not null;

    internal string ConnectionStringFor(string database) =>
        ExternalConnectionString ?? new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = User,
            Password = password,
            Database = database,
        }.ConnectionString;

    public async Task PrepareAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        var binaries = PostgresBinaries.Find(options.ToolSearchDirectories)
            ?? throw new InvalidOperationException(PostgresBinaries.InstallHint);
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            return;
        }

        Directory.CreateDirectory(DataDirectory);
        var passwordFile = Path.Combine(DataDirectory, "..", $"{Name}.pwfile");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        try
        {
            if (IsRoot)
            {
                // PostgreSQL refuses to run as root; its files must belong to the user it runs as.
                await RunToEndAsync("chown", ["-R", $"{OperatingSystemUser}:{OperatingSystemUser}", DataDirectory, passwordFile], cancellationToken);
            }
            var initdb = new ProcessSpec(binaries.InitDb,
                ["-D", DataDirectory, "-U", User, $"--pwfile={passwordFile}", "--auth=scram-sha-256", "-E", "UTF8", "--no-instructions"])
            {
                RunAsUser = OperatingSystemUser,
            };
            using var process = await instance.Orchestrator.Launcher.StartAsync(initdb, instance.Logs.Add);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb exited with code {process.ExitCode}: {string.Join(" | ", instance.Logs.Tail(5))}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    public ProcessSpec CreateProcessSpec(ResourceInstance instance)
    {
        var binaries = PostgresBinaries.Find(options.ToolSearchDirectories) ?? throw new InvalidOperationException(PostgresBinaries.InstallHint);
        return new ProcessSpec(binaries.Postgres,
            [
                "-D", DataDirectory,
                "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-c", "listen_addresses=127.0.0.1",
                // TCP only: no socket folder to own or to clean up.
                "-c", "unix_socket_directories=",
                "-c", "max_connections=300",
            ])
        {
            RunAsUser = OperatingSystemUser,
            // SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to leave.
            StopSignal = Signals.Int,
        };
    }

    public async Task<bool> ProbeAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres"))
        {
            Pooling = false,
            Database = IsExternal ? null : "postgres",
        }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is 1;
    }

    /// <summary>Creates the declared databases before the server counts as healthy, so whoever waits for a database finds it.</summary>
    public async Task OnReadyAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        if (IsExternal)
        {
            return;
        }
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres")) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var database in Databases)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", database.DatabaseName);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                // Identifiers cannot be parameters; the name is validated at declaration.
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.DatabaseName}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static bool IsRoot => OperatingSystem.IsLinux() && System.Environment.UserName == "root";

    private static async Task RunToEndAsync(string fileName, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments) { UseShellExecute = false })!;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with code {process.ExitCode}");
        }
    }
}
