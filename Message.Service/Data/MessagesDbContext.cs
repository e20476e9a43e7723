using Microsoft.EntityFrameworkCore;

namespace RealtimeAspire.MessageService.Data;

/// <summary>
/// The <c>messages</c> database. EF Core owns the schema (migrations in <c>Data/Migrations</c>) and the history
/// queries; the hot batch insert is hand-written SQL (<see cref="Persistence.MessageBatchWriter"/>).
/// </summary>
public sealed class MessagesDbContext(DbContextOptions<MessagesDbContext> options) : DbContext(options)
{
    public DbSet<StoredMessage> Messages => Set<StoredMessage>();

    public DbSet<ChannelState> Channels => Set<ChannelState>();

    public DbSet<LostMessage> LostMessages => Set<LostMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StoredMessage>(message =>
        {
            message.ToTable("messages");
            // (channel, seq) is both the idempotency key and the index of every history query (forward and backward).
            message.HasKey(m => new { m.Channel, m.Seq }).HasName("pk_messages");
            message.HasIndex(m => m.MsgId).IsUnique().HasDatabaseName("ux_messages_msg_id");
            message.Property(m => m.Channel).HasColumnName("channel").HasMaxLength(Contracts.ChannelName.MaxLength);
            message.Property(m => m.Seq).HasColumnName("seq");
            message.Property(m => m.MsgId).HasColumnName("msg_id").HasMaxLength(StoredMessage.MaxMsgIdLength);
            message.Property(m => m.Sender).HasColumnName("sender").HasMaxLength(StoredMessage.MaxSenderLength);
            message.Property(m => m.Ts).HasColumnName("ts");
            message.Property(m => m.Data).HasColumnName("data").HasColumnType("json");
            message.Property(m => m.TraceParent).HasColumnName("trace_parent").HasMaxLength(StoredMessage.MaxTraceParentLength);
            message.Property(m => m.Repaired).HasColumnName("repaired").HasDefaultValue(false);
            message.Property(m => m.PersistedAt).HasColumnName("persisted_at").HasDefaultValueSql("now()");
        });

        modelBuilder.Entity<ChannelState>(channel =>
        {
            channel.ToTable("channels");
            channel.HasKey(c => c.Channel).HasName("pk_channels");
            channel.Property(c => c.Channel).HasColumnName("channel").HasMaxLength(Contracts.ChannelName.MaxLength);
            channel.Property(c => c.MaxSeq).HasColumnName("max_seq");
            channel.Property(c => c.CheckedSeq).HasColumnName("checked_seq").HasDefaultValue(0L);
            channel.Property(c => c.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");
        });

        modelBuilder.Entity<LostMessage>(lost =>
        {
            lost.ToTable("lost_messages");
            lost.HasKey(l => new { l.Channel, l.Seq }).HasName("pk_lost_messages");
            lost.Property(l => l.Channel).HasColumnName("channel").HasMaxLength(Contracts.ChannelName.MaxLength);
            lost.Property(l => l.Seq).HasColumnName("seq");
            lost.Property(l => l.DetectedAt).HasColumnName("detected_at").HasDefaultValueSql("now()");
        });
    }
}
