using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Displays;
using DispatchBoard.Web.Escalations;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Planning;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Reminders;
using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DispatchBoard.Web.Data;

/// <summary>
/// The app's one database, on SQLite (this type, migrations in Data/Migrations) or PostgreSQL
/// (<see cref="PostgresDispatchDbContext"/>, its own migrations in Data/Migrations/Postgres); services only ever see this type.
/// </summary>
public class DispatchDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    public DispatchDbContext(DbContextOptions<DispatchDbContext> options) : base(options)
    {
    }

    protected DispatchDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<Area> Areas => Set<Area>();
    public DbSet<StaffMember> Staff => Set<StaffMember>();
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketEvent> TicketEvents => Set<TicketEvent>();
    public DbSet<TicketHelper> TicketHelpers => Set<TicketHelper>();
    public DbSet<TicketReport> TicketReports => Set<TicketReport>();
    public DbSet<Escalation> Escalations => Set<Escalation>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<Photo> Photos => Set<Photo>();
    public DbSet<Semester> Semesters => Set<Semester>();
    public DbSet<CalendarPeriod> CalendarPeriods => Set<CalendarPeriod>();
    public DbSet<RosterSlot> RosterSlots => Set<RosterSlot>();
    public DbSet<RosterSwap> RosterSwaps => Set<RosterSwap>();
    public DbSet<MeetingSeries> MeetingSeries => Set<MeetingSeries>();
    public DbSet<Meeting> Meetings => Set<Meeting>();
    public DbSet<MeetingAttendee> MeetingAttendees => Set<MeetingAttendee>();
    public DbSet<ChecklistItemTemplate> ChecklistItems => Set<ChecklistItemTemplate>();
    public DbSet<InspectionRound> InspectionRounds => Set<InspectionRound>();
    public DbSet<InspectionItem> InspectionItems => Set<InspectionItem>();
    public DbSet<Reminder> Reminders => Set<Reminder>();
    public DbSet<PlanItem> PlanItems => Set<PlanItem>();
    public DbSet<PlanItemHelper> PlanItemHelpers => Set<PlanItemHelper>();
    public DbSet<Suggestion> Suggestions => Set<Suggestion>();
    public DbSet<Push.PushSubscription> PushSubscriptions => Set<Push.PushSubscription>();
    public DbSet<Push.PushDelivery> PushDeliveries => Set<Push.PushDelivery>();
    public DbSet<Push.PushVapidKey> PushVapidKeys => Set<Push.PushVapidKey>();
    public DbSet<OfficeDisplay> OfficeDisplays => Set<OfficeDisplay>();
    public DbSet<Audit.AuditEntry> AuditEntries => Set<Audit.AuditEntry>();
    public DbSet<AccountLink> AccountLinks => Set<AccountLink>();
    public DbSet<ReporterMail.ReporterMessage> ReporterMessages => Set<ReporterMail.ReporterMessage>();
    /// <summary>The data-protection key ring (sign-in cookies, antiforgery, stop links), shared by every instance; see KeyRingProtection.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in the database and safe when members are added.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        // SQLite has no date type; UTC milliseconds keep comparisons, ORDER BY and arithmetic in SQL. PostgreSQL stores
        // the same bigints, so the report SQL, the converters and every comparison are one and the same on both.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcMillisecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcMillisecondsConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(DispatchDbContext).Assembly);
        builder.Entity<AppUser>().Property(u => u.CalendarToken).HasMaxLength(64);
        builder.Entity<AppUser>().HasIndex(u => u.CalendarToken).IsUnique();
        builder.Entity<AppUser>().Property(u => u.Culture).HasMaxLength(AppUser.CultureMaxLength);
    }
}

/// <summary>
/// For <c>dotnet ef migrations add … --context DispatchDbContext</c>: without a factory of its own the tools took
/// <see cref="PostgresDispatchDbContextDesignFactory"/> for it too (its context is a <see cref="DispatchDbContext"/>)
/// and wrote PostgreSQL migrations into SQLite's folder.
/// </summary>
public sealed class DispatchDbContextDesignFactory : IDesignTimeDbContextFactory<DispatchDbContext>
{
    public DispatchDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DispatchDbContext>().UseSqlite("Data Source=dispatch_design.db").Options);
}
