using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DispatchBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Roster : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DutyChangedBy",
                table: "StaffMembers",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DutyManualUntil",
                table: "StaffMembers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RosterEdgeAt",
                table: "StaffMembers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RosterSlots",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StaffId = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    StartMinute = table.Column<int>(type: "INTEGER", nullable: false),
                    EndMinute = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RosterSlots", x => x.Id);
                    table.CheckConstraint("CK_RosterSlots_End", "EndMinute > 0 AND EndMinute <= 1440");
                    table.CheckConstraint("CK_RosterSlots_Start", "StartMinute >= 0 AND StartMinute < 1440");
                    table.ForeignKey(
                        name: "FK_RosterSlots_StaffMembers_StaffId",
                        column: x => x.StaffId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RosterSwaps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SlotId = table.Column<int>(type: "INTEGER", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    SubstituteId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RosterSwaps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RosterSwaps_RosterSlots_SlotId",
                        column: x => x.SlotId,
                        principalTable: "RosterSlots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_RosterSwaps_StaffMembers_SubstituteId",
                        column: x => x.SubstituteId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RosterSlots_StaffId_Day",
                table: "RosterSlots",
                columns: new[] { "StaffId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_RosterSwaps_Date",
                table: "RosterSwaps",
                column: "Date");

            migrationBuilder.CreateIndex(
                name: "IX_RosterSwaps_SlotId_Date",
                table: "RosterSwaps",
                columns: new[] { "SlotId", "Date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RosterSwaps_SubstituteId",
                table: "RosterSwaps",
                column: "SubstituteId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RosterSwaps");

            migrationBuilder.DropTable(
                name: "RosterSlots");

            migrationBuilder.DropColumn(
                name: "DutyChangedBy",
                table: "StaffMembers");

            migrationBuilder.DropColumn(
                name: "DutyManualUntil",
                table: "StaffMembers");

            migrationBuilder.DropColumn(
                name: "RosterEdgeAt",
                table: "StaffMembers");
        }
    }
}
