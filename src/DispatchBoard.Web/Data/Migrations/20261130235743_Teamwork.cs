using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DispatchBoard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Teamwork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "MergedIntoId",
                table: "Tickets",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReportCount",
                table: "Tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "ReporterEmail",
                table: "Tickets",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ReporterEmailsStopped",
                table: "Tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "StatusBeforeMerge",
                table: "Tickets",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "TicketEventId",
                table: "Photos",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AccountLinks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    VoidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccountLinks_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PlanItemHelpers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PlanItemId = table.Column<int>(type: "INTEGER", nullable: false),
                    StaffId = table.Column<int>(type: "INTEGER", nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanItemHelpers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlanItemHelpers_PlanItems_PlanItemId",
                        column: x => x.PlanItemId,
                        principalTable: "PlanItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PlanItemHelpers_StaffMembers_StaffId",
                        column: x => x.StaffId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReporterMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TicketId = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Step = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ToAddress = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ToName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RecipientTicketId = table.Column<int>(type: "INTEGER", nullable: true),
                    RecipientReportId = table.Column<int>(type: "INTEGER", nullable: true),
                    RecipientCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClaimedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReporterMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReporterMessages_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TicketHelpers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TicketId = table.Column<int>(type: "INTEGER", nullable: false),
                    StaffId = table.Column<int>(type: "INTEGER", nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AddedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketHelpers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TicketHelpers_StaffMembers_StaffId",
                        column: x => x.StaffId,
                        principalTable: "StaffMembers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TicketHelpers_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TicketReports",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TicketId = table.Column<int>(type: "INTEGER", nullable: false),
                    TrackingCode = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 10, nullable: false),
                    ReporterName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ReporterContact = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ReporterEmail = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ReporterEmailsStopped = table.Column<bool>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClientNetwork = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketReports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TicketReports_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_AreaId_Category_Status_ReportedAt",
                table: "Tickets",
                columns: new[] { "AreaId", "Category", "Status", "ReportedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_MergedIntoId",
                table: "Tickets",
                column: "MergedIntoId");

            migrationBuilder.CreateIndex(
                name: "IX_Photos_TicketEventId",
                table: "Photos",
                column: "TicketEventId");

            migrationBuilder.CreateIndex(
                name: "IX_AccountLinks_TokenHash",
                table: "AccountLinks",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccountLinks_UserId_UsedAt_VoidedAt",
                table: "AccountLinks",
                columns: new[] { "UserId", "UsedAt", "VoidedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PlanItemHelpers_PlanItemId_StaffId",
                table: "PlanItemHelpers",
                columns: new[] { "PlanItemId", "StaffId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PlanItemHelpers_StaffId",
                table: "PlanItemHelpers",
                column: "StaffId");

            migrationBuilder.CreateIndex(
                name: "IX_ReporterMessages_Status_NextAttemptAt",
                table: "ReporterMessages",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ReporterMessages_TicketId_Version_Step_ToAddress",
                table: "ReporterMessages",
                columns: new[] { "TicketId", "Version", "Step", "ToAddress" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TicketHelpers_StaffId",
                table: "TicketHelpers",
                column: "StaffId");

            migrationBuilder.CreateIndex(
                name: "IX_TicketHelpers_TicketId_StaffId",
                table: "TicketHelpers",
                columns: new[] { "TicketId", "StaffId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TicketReports_ClientNetwork_ReportedAt",
                table: "TicketReports",
                columns: new[] { "ClientNetwork", "ReportedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TicketReports_TicketId",
                table: "TicketReports",
                column: "TicketId");

            migrationBuilder.CreateIndex(
                name: "IX_TicketReports_TrackingCode",
                table: "TicketReports",
                column: "TrackingCode",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Photos_TicketEvents_TicketEventId",
                table: "Photos",
                column: "TicketEventId",
                principalTable: "TicketEvents",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Tickets_Tickets_MergedIntoId",
                table: "Tickets",
                column: "MergedIntoId",
                principalTable: "Tickets",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Photos_TicketEvents_TicketEventId",
                table: "Photos");

            migrationBuilder.DropForeignKey(
                name: "FK_Tickets_Tickets_MergedIntoId",
                table: "Tickets");

            migrationBuilder.DropTable(
                name: "AccountLinks");

            migrationBuilder.DropTable(
                name: "PlanItemHelpers");

            migrationBuilder.DropTable(
                name: "ReporterMessages");

            migrationBuilder.DropTable(
                name: "TicketHelpers");

            migrationBuilder.DropTable(
                name: "TicketReports");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_AreaId_Category_Status_ReportedAt",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_MergedIntoId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Photos_TicketEventId",
                table: "Photos");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ReportCount",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ReporterEmail",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ReporterEmailsStopped",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "StatusBeforeMerge",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "TicketEventId",
                table: "Photos");
        }
    }
}
