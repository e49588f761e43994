using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TTMall.Users.Data.Migrations
{
    /// <inheritdoc />
    public partial class SharedSignInLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FailedSignIns",
                table: "users");

            migrationBuilder.DropColumn(
                name: "LockedUntil",
                table: "users");

            migrationBuilder.CreateTable(
                name: "rate_limits",
                columns: table => new
                {
                    Key = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    WindowStart = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rate_limits", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_rate_limits_WindowStart",
                table: "rate_limits",
                column: "WindowStart");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rate_limits");

            migrationBuilder.AddColumn<int>(
                name: "FailedSignIns",
                table: "users",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LockedUntil",
                table: "users",
                type: "timestamp with time zone",
                nullable: true);
        }
    }
}
