using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TTMall.Users.Data.Migrations
{
    /// <inheritdoc />
    public partial class SessionLifetime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SessionExpiresAt",
                table: "refresh_tokens",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // Sessions started before there was a session lifetime end with the refresh token they hold now.
            migrationBuilder.Sql("UPDATE refresh_tokens SET \"SessionExpiresAt\" = \"ExpiresAt\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SessionExpiresAt",
                table: "refresh_tokens");
        }
    }
}
