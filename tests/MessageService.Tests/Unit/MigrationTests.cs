using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using RealtimeAspire.MessageService.Data;

namespace RealtimeAspire.MessageService.Tests.Unit;

public sealed class MigrationTests
{
    private static MessagesDbContext Context() =>
        new(new DbContextOptionsBuilder<MessagesDbContext>().UseNpgsql("Host=localhost;Database=messages").Options);

    [Fact]
    public void TheMigrationsDescribeTheWholeModel()
    {
        using var db = Context();

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void TheHistoryIndexesAreInTheMigratedSchema()
    {
        using var db = Context();
        var sql = db.Database.GenerateCreateScript();

        Assert.Contains("CONSTRAINT pk_messages PRIMARY KEY (channel, seq)", sql, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX ux_messages_msg_id ON messages (msg_id)", sql, StringComparison.Ordinal);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.NotNull(typeof(Migration));
    }
}
