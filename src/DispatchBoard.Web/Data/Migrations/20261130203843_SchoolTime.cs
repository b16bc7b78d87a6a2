using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DispatchBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SchoolTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Reports",
                table: "Tickets");

            migrationBuilder.AddColumn<long>(
                name: "PlannedFor",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "TimeToClaim",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "TimeToOnSite",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "TimeToResolve",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "WaitingForOpening",
                table: "Tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

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

            migrationBuilder.AddColumn<bool>(
                name: "IsTeachingRoom",
                table: "Areas",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Existing classrooms are the teaching rooms (a new classroom is one by default, in the area dialog and import).
            migrationBuilder.Sql("UPDATE \"Areas\" SET \"IsTeachingRoom\" = TRUE WHERE \"Kind\" = 'Classroom' AND \"Level\" = 'Room';");

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

            // Tickets from before the school calendar: their durations were wall time, and stay so.
            migrationBuilder.Sql("""
                UPDATE "Tickets" SET
                    "TimeToClaim" = CASE WHEN "ClaimedAt" IS NULL THEN NULL ELSE MAX("ClaimedAt" - "ReportedAt", 0) END,
                    "TimeToOnSite" = CASE WHEN "OnSiteAt" IS NULL THEN NULL ELSE MAX("OnSiteAt" - "ReportedAt", 0) END,
                    "TimeToResolve" = CASE WHEN "ResolvedAt" IS NULL THEN NULL ELSE MAX("ResolvedAt" - "ReportedAt", 0) END
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Reports",
                table: "Tickets",
                columns: new[] { "ReportedAt", "ClaimedAt", "ResolvedAt", "ResponseDueAt", "TimeToClaim", "TimeToOnSite", "TimeToResolve", "Status", "Category", "AreaId", "ClaimedById", "ReopenCount", "Rating" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Status_PlannedFor",
                table: "Tickets",
                columns: new[] { "Status", "PlannedFor" });

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

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Reports",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_Status_PlannedFor",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "PlannedFor",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "TimeToClaim",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "TimeToOnSite",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "TimeToResolve",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "WaitingForOpening",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "DutyChangedBy",
                table: "StaffMembers");

            migrationBuilder.DropColumn(
                name: "DutyManualUntil",
                table: "StaffMembers");

            migrationBuilder.DropColumn(
                name: "RosterEdgeAt",
                table: "StaffMembers");

            migrationBuilder.DropColumn(
                name: "IsTeachingRoom",
                table: "Areas");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Reports",
                table: "Tickets",
                columns: new[] { "ReportedAt", "ClaimedAt", "OnSiteAt", "ResolvedAt", "ResponseDueAt", "Status", "Category", "AreaId", "ClaimedById", "ReopenCount", "Rating" });
        }
    }
}
