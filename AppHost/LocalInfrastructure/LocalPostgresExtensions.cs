using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RealtimeAspire.AppHost.LocalInfrastructure;

public static partial class LocalPostgresExtensions
{
    private const string OperatingSystemUser = "postgres";

    /// <summary>
    /// PostgreSQL: the machine's binaries in a run (data in <c>{DataPath}/{name}</c>), Aspire's container in a publish.
    /// A missing binary is one clear error naming what to install.
    /// </summary>
    public static PostgresServerBuilder AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, DevelopmentSecrets secrets)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            var container = builder.AddPostgres(name, password: secrets.Parameter($"{name}-password"));
            return new PostgresServerBuilder(builder, database => container.AddDatabase(database));
        }

        // Declared with its first local database: when every database's connection string is configured, nothing runs.
        var server = new Lazy<IResourceBuilder<LocalPostgresServerResource>>(() => AddLocalServer(builder, name, secrets.Parameter($"{name}-password")));
        return new PostgresServerBuilder(builder, database => AddLocalDatabase(builder, server.Value, database));
    }

    private static IResourceBuilder<LocalPostgresServerResource> AddLocalServer(IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> password)
    {
        var options = LocalInfrastructureOptions.From(builder);
        var binaries = PostgresBinaries.Find(options.ToolSearchDirectories);
        var dataDirectory = Path.Combine(options.ResolvedDataPath, name);
        var server = new LocalPostgresServerResource(name, binaries is null ? "postgres" : RunAsPostgresUser(binaries.Value.Postgres).Command, dataDirectory, password.Resource);
        return builder.AddResource(server)
            .WithLocalTcpEndpoint(LocalPostgresServerResource.EndpointName)
            .WithArgs(context =>
            {
                foreach (var argument in binaries is null ? [] : RunAsPostgresUser(binaries.Value.Postgres).Prefix)
                {
                    context.Args.Add(argument);
                }
                context.Args.Add("-D");
                context.Args.Add(dataDirectory);
                context.Args.Add("-p");
                context.Args.Add(server.Endpoint.Property(EndpointProperty.TargetPort));
                foreach (var setting in new[] { "listen_addresses=127.0.0.1", "unix_socket_directories=", "max_connections=300" })
                {
                    context.Args.Add("-c");
                    context.Args.Add(setting);
                }
            })
            .OnBeforeResourceStarted(async (server, e, cancellationToken) =>
            {
                if (binaries is null)
                {
                    throw new InvalidOperationException(PostgresBinaries.InstallHint);
                }
                var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
                await InitialiseDataDirectoryAsync(binaries.Value.InitDb, server, logger, cancellationToken);
            })
            .WithHealthCheck(AddHealthCheck(builder, name, server))
            .OnResourceReady(async (server, e, cancellationToken) => await CreateDatabasesAsync(server, e.Services, cancellationToken));
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddLocalDatabase(
        IDistributedApplicationBuilder builder, IResourceBuilder<LocalPostgresServerResource> server, string name)
    {
        var database = new LocalPostgresDatabaseResource(name, server.Resource);
        server.Resource.Databases.Add(database);
        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new("postgres.database", name)],
            })
            .WithHealthCheck(AddHealthCheck(builder, name, database));
    }

    /// <summary>Aspire passes a parent's state only to the children of containers: the databases' state is ours to publish.</summary>
    private static async Task CreateDatabasesAsync(LocalPostgresServerResource server, IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var database in server.Databases)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", database.DatabaseName);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                // Identifiers cannot be parameters; quote it.
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            await notifications.PublishUpdateAsync(database, snapshot => snapshot with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        }
    }

    private static async Task InitialiseDataDirectoryAsync(string initdb, LocalPostgresServerResource server, ILogger logger, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(server.DataDirectory, "PG_VERSION")))
        {
            return;
        }
        Directory.CreateDirectory(server.DataDirectory);
        var passwordFile = Path.Combine(Path.GetDirectoryName(server.DataDirectory)!, $"{server.Name}.pwfile");
        await File.WriteAllTextAsync(passwordFile, await server.Password.GetValueAsync(cancellationToken), cancellationToken);
        try
        {
            if (IsRoot)
            {
                // PostgreSQL refuses to run as root; its files must belong to the user it runs as.
                await RunAsync("chown", ["-R", $"{OperatingSystemUser}:{OperatingSystemUser}", server.DataDirectory, passwordFile], logger, cancellationToken);
            }
            var (command, prefix) = RunAsPostgresUser(initdb);
            await RunAsync(command,
                [.. prefix, "-D", server.DataDirectory, "-U", LocalPostgresServerResource.User, $"--pwfile={passwordFile}", "--auth=scram-sha-256", "-E", "UTF8", "--no-instructions"],
                logger, cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static string AddHealthCheck(IDistributedApplicationBuilder builder, string name, IResourceWithConnectionString resource)
    {
        var key = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, _ => new PostgresHealthCheck(resource), HealthStatus.Unhealthy, tags: null, timeout: TimeSpan.FromSeconds(5)));
        return key;
    }

    private static (string Command, string[] Prefix) RunAsPostgresUser(string program) =>
        IsRoot && ExecutableLocator.Find("setpriv") is { } setpriv
            ? (setpriv, [$"--reuid={OperatingSystemUser}", $"--regid={OperatingSystemUser}", "--init-groups", "--", program])
            : (program, []);

    private static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    private static async Task RunAsync(string fileName, string[] arguments, ILogger logger, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        foreach (var line in (await output + await error).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            LogOutput(logger, Path.GetFileName(fileName), line);
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} exited with code {process.ExitCode}.");
        }
    }

    [LoggerMessage(1, LogLevel.Information, "{Program}: {Line}")]
    private static partial void LogOutput(ILogger logger, string program, string line);
}
