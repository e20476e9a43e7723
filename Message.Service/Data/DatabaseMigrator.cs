using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace RealtimeAspire.MessageService.Data;

/// <summary>
/// Applies the EF Core migrations at start-up, before the pipeline and the APIs start. Several instances may start
/// together: a session-level PostgreSQL advisory lock serialises them, and the second finds nothing left to apply.
/// A database that is not reachable yet is waited for (with backoff) instead of crashing the process.
/// </summary>
public sealed partial class DatabaseMigrator(IServiceScopeFactory scopes, TimeProvider time, ILogger<DatabaseMigrator> logger) : IHostedService
{
    /// <summary>Advisory lock key: "RTMSGMIG" as a 64-bit number, unlikely to collide with anyone else's.</summary>
    private const long MigrationLockKey = 0x52544D53474D4947;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when ((ex is NpgsqlException or TimeoutException) && !cancellationToken.IsCancellationRequested)
            {
                Log.MigrationFailed(logger, ex, attempt, delay);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MessagesDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    Log.Applying(logger, string.Join(", ", pending));
                    await db.Database.MigrateAsync(cancellationToken);
                }
                Log.UpToDate(logger);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Migrating the database failed (attempt {Attempt}); retrying in {Delay}.")]
        public static partial void MigrationFailed(ILogger logger, Exception exception, int attempt, TimeSpan delay);

        [LoggerMessage(2, LogLevel.Information, "Applying migrations: {Migrations}.")]
        public static partial void Applying(ILogger logger, string migrations);

        [LoggerMessage(3, LogLevel.Information, "Database schema is up to date.")]
        public static partial void UpToDate(ILogger logger);
    }
}
