using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RealtimeAspire.MessageService.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "channels",
                columns: table => new
                {
                    channel = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    max_seq = table.Column<long>(type: "bigint", nullable: false),
                    checked_seq = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_channels", x => x.channel);
                });

            migrationBuilder.CreateTable(
                name: "lost_messages",
                columns: table => new
                {
                    channel = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    seq = table.Column<long>(type: "bigint", nullable: false),
                    detected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lost_messages", x => new { x.channel, x.seq });
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    channel = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    seq = table.Column<long>(type: "bigint", nullable: false),
                    msg_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    sender = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ts = table.Column<long>(type: "bigint", nullable: false),
                    data = table.Column<string>(type: "json", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    repaired = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    persisted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => new { x.channel, x.seq });
                });

            migrationBuilder.CreateIndex(
                name: "ux_messages_msg_id",
                table: "messages",
                column: "msg_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "channels");

            migrationBuilder.DropTable(
                name: "lost_messages");

            migrationBuilder.DropTable(
                name: "messages");
        }
    }
}
