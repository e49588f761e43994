using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TTMall.Users.Data.Migrations
{
    /// <inheritdoc />
    public partial class StaffRole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsStaff",
                table: "users",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IsStaff",
                table: "users");
        }
    }
}
