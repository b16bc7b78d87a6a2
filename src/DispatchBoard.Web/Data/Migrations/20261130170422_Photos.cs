using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DispatchBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Photos : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClientNetwork",
                table: "Photos",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ThumbnailLength",
                table: "Photos",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "ThumbnailName",
                table: "Photos",
                type: "TEXT",
                maxLength: 80,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Photos_ClientNetwork_UploadedAt",
                table: "Photos",
                columns: new[] { "ClientNetwork", "UploadedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Photos_ClientNetwork_UploadedAt",
                table: "Photos");

            migrationBuilder.DropColumn(
                name: "ClientNetwork",
                table: "Photos");

            migrationBuilder.DropColumn(
                name: "ThumbnailLength",
                table: "Photos");

            migrationBuilder.DropColumn(
                name: "ThumbnailName",
                table: "Photos");
        }
    }
}
