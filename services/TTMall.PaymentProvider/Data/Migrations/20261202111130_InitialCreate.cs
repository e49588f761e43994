using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TTMall.PaymentProvider.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "charges",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(27)", maxLength: 27, nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FailureCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Brand = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Last4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    Reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Refunded = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_charges", x => x.Id);
                    table.CheckConstraint("CK_charges_amount", "\"Amount\" > 0");
                    table.CheckConstraint("CK_charges_refunded", "\"Refunded\" >= 0 AND \"Refunded\" <= \"Amount\" AND (\"Status\" = 'succeeded' OR \"Refunded\" = 0)");
                    table.CheckConstraint("CK_charges_status", "\"Status\" IN ('succeeded', 'failed')");
                });

            migrationBuilder.CreateTable(
                name: "idempotency_keys",
                columns: table => new
                {
                    Owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Result = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_idempotency_keys", x => new { x.Owner, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "sandbox_settings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    LatencyMilliseconds = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sandbox_settings", x => x.Id);
                    table.CheckConstraint("CK_sandbox_settings_latency", "\"LatencyMilliseconds\" BETWEEN 0 AND 60000");
                    table.CheckConstraint("CK_sandbox_settings_one_row", "\"Id\" = 1");
                });

            migrationBuilder.CreateTable(
                name: "transient_attempts",
                columns: table => new
                {
                    Owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transient_attempts", x => new { x.Owner, x.Key });
                });

            migrationBuilder.CreateTable(
                name: "refunds",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(27)", maxLength: 27, nullable: false),
                    ChargeId = table.Column<string>(type: "character varying(27)", maxLength: 27, nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refunds", x => x.Id);
                    table.CheckConstraint("CK_refunds_amount", "\"Amount\" > 0");
                    table.ForeignKey(
                        name: "FK_refunds_charges_ChargeId",
                        column: x => x.ChargeId,
                        principalTable: "charges",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "sandbox_settings",
                columns: new[] { "Id", "LatencyMilliseconds" },
                values: new object[] { 1, 0 });

            migrationBuilder.CreateIndex(
                name: "IX_charges_Reference_CreatedAt",
                table: "charges",
                columns: new[] { "Reference", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_idempotency_keys_CreatedAt",
                table: "idempotency_keys",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_refunds_ChargeId",
                table: "refunds",
                column: "ChargeId");

            migrationBuilder.CreateIndex(
                name: "IX_transient_attempts_CreatedAt",
                table: "transient_attempts",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "idempotency_keys");

            migrationBuilder.DropTable(
                name: "refunds");

            migrationBuilder.DropTable(
                name: "sandbox_settings");

            migrationBuilder.DropTable(
                name: "transient_attempts");

            migrationBuilder.DropTable(
                name: "charges");
        }
    }
}
