using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DispatchBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Lessons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "PlannedFor",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsTeachingRoom",
                table: "Areas",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // The classrooms a school already has are where its lessons are taught (the library can be unmarked).
            migrationBuilder.Sql("UPDATE \"Areas\" SET \"IsTeachingRoom\" = TRUE WHERE \"Kind\" = 'Classroom' AND \"Level\" = 'Room';");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_Status_PlannedFor",
                table: "Tickets",
                columns: new[] { "Status", "PlannedFor" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_Status_PlannedFor",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "PlannedFor",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "IsTeachingRoom",
                table: "Areas");
        }
    }
}
