using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TTMall.Users.Data.Migrations
{
    /// <inheritdoc />
    public partial class ConfirmedSignUps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ConfirmationAttempts",
                table: "users",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<byte[]>(
                name: "ConfirmationCodeHash",
                table: "users",
                type: "bytea",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ConfirmationExpiresAt",
                table: "users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ConfirmedAt",
                table: "users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "mail_outbox",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    To = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mail_outbox", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mail_outbox_CreatedAt",
                table: "mail_outbox",
                column: "CreatedAt");

            // Accounts made before confirmation existed were taken on trust then; they stay usable.
            migrationBuilder.Sql("UPDATE users SET \"ConfirmedAt\" = \"CreatedAt\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mail_outbox");

            migrationBuilder.DropColumn(
                name: "ConfirmationAttempts",
                table: "users");

            migrationBuilder.DropColumn(
                name: "ConfirmationCodeHash",
                table: "users");

            migrationBuilder.DropColumn(
                name: "ConfirmationExpiresAt",
                table: "users");

            migrationBuilder.DropColumn(
                name: "ConfirmedAt",
                table: "users");
        }
    }
}
