using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DispatchBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReportIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Status_ResolvedAt",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Status_ResolvedAt_ClaimedById",
                table: "Tickets",
                columns: new[] { "Status", "ResolvedAt", "ClaimedById" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Status_ResolvedAt_ClaimedById",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Status_ResolvedAt",
                table: "Tickets",
                columns: new[] { "Status", "ResolvedAt" });
        }
    }
}
