using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RealtimeAspire.MessageService.Data;
using RealtimeAspire.MessageService.Extensions;

namespace RealtimeAspire.MessageService.Tests.Functional;

/// <summary>
/// The PostgreSQL registration of Message.Service (Aspire.Npgsql + the EF integration), against the test PostgreSQL:
/// explicit transactions work on both the EF and the raw-SQL side, and one health check watches the one pool.
/// </summary>
[Collection(nameof(MessageServiceCollection))]
public sealed class DatabaseRegistrationTests(MessageServiceFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ExplicitTransactionsWorkOnTheServicesDbContextAndDataSourceUnderOneHealthCheck()
    {
        using var host = Build(builder => builder.AddMessagesDatabase());
        using var timeout = new CancellationTokenSource(Timeout);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MessagesDbContext>();
            Assert.False(db.Database.CreateExecutionStrategy().RetriesOnFailure);
            await using var transaction = await db.Database.BeginTransactionAsync(timeout.Token);
            // A query inside a user-initiated transaction: what a retrying execution strategy refuses.
            _ = await db.Channels.CountAsync(timeout.Token);
            await transaction.CommitAsync(timeout.Token);
        }

        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var connection = await dataSource.OpenConnectionAsync(timeout.Token))
        await using (var transaction = await connection.BeginTransactionAsync(timeout.Token))
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM channels", connection, transaction);
            _ = await command.ExecuteScalarAsync(timeout.Token);
            await transaction.CommitAsync(timeout.Token);
        }

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(timeout.Token);
        Assert.Equal(["PostgreSql"], report.Entries.Keys);
        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task TheEfIntegrationsDefaultRetryingStrategyRefusesTheSameTransaction()
    {
        // Why the service turns retries off: the integration's default, used as is, breaks explicit transactions.
        using var host = Build(builder => builder.AddNpgsqlDbContext<MessagesDbContext>("messages"));
        using var timeout = new CancellationTokenSource(Timeout);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MessagesDbContext>();
        Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(timeout.Token);
            _ = await db.Channels.CountAsync(timeout.Token);
        });
    }

    private IHost Build(Action<IHostApplicationBuilder> register)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:messages"] = fixture.PostgresConnectionString });
        register(builder);
        return builder.Build();
    }
}
