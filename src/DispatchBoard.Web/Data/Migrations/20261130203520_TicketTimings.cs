using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DispatchBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class TicketTimings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Reports",
                table: "Tickets");

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Reports",
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

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Reports",
                table: "Tickets",
                columns: new[] { "ReportedAt", "ClaimedAt", "OnSiteAt", "ResolvedAt", "ResponseDueAt", "Status", "Category", "AreaId", "ClaimedById", "ReopenCount", "Rating" });
        }
    }
}
