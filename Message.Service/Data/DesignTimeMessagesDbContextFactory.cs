using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace RealtimeAspire.MessageService.Data;

/// <summary>For <c>dotnet ef migrations add</c> only: a context without a server (adding a migration never connects).</summary>
internal sealed class DesignTimeMessagesDbContextFactory : IDesignTimeDbContextFactory<MessagesDbContext>
{
    public MessagesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MessagesDbContext>().UseNpgsql("Host=localhost;Database=messages").Options);
}
