using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> ticket)
    {
        ticket.Property(t => t.TrackingCode).HasMaxLength(TrackingCode.Length).IsFixedLength();
        ticket.HasIndex(t => t.TrackingCode).IsUnique();
        ticket.Property(t => t.Description).HasMaxLength(Ticket.DescriptionMaxLength);
        ticket.Property(t => t.LocationDetail).HasMaxLength(Ticket.LocationDetailMaxLength);
        ticket.Property(t => t.ReporterName).HasMaxLength(Ticket.ReporterNameMaxLength);
        ticket.Property(t => t.ReporterContact).HasMaxLength(Ticket.ReporterContactMaxLength);
        ticket.Property(t => t.ResolutionNote).HasMaxLength(Ticket.NoteMaxLength);
        ticket.Property(t => t.RatingComment).HasMaxLength(Ticket.RatingCommentMaxLength);
        ticket.Property(t => t.ReporterEmail).HasMaxLength(Ticket.ReporterContactMaxLength);
        ticket.Property(t => t.ReporterCulture).HasMaxLength(Ticket.ReporterCultureMaxLength);
        ticket.Property(t => t.ReportCount).HasDefaultValue(1);
        ticket.HasOne(t => t.MergedInto).WithMany().HasForeignKey(t => t.MergedIntoId).OnDelete(DeleteBehavior.Restrict);
        ticket.HasIndex(t => t.MergedIntoId);
        // Possible duplicates: open tickets in an area and category, newest first.
        ticket.HasIndex(t => new { t.AreaId, t.Category, t.Status, t.ReportedAt });
        ticket.ToTable(t => t.HasCheckConstraint("CK_Tickets_Rating", "Rating IS NULL OR (Rating BETWEEN 1 AND 5)"));
        ticket.Property(t => t.Version).IsConcurrencyToken();
        ticket.Property(t => t.TimeToClaim).HasConversion<MillisecondsConverter>();
        ticket.Property(t => t.TimeToOnSite).HasConversion<MillisecondsConverter>();
        ticket.Property(t => t.TimeToResolve).HasConversion<MillisecondsConverter>();

        ticket.HasOne(t => t.Area).WithMany().HasForeignKey(t => t.AreaId).OnDelete(DeleteBehavior.Restrict);
        ticket.HasOne(t => t.ClaimedBy).WithMany().HasForeignKey(t => t.ClaimedById).OnDelete(DeleteBehavior.Restrict);
        ticket.HasOne(t => t.RoutedTo).WithMany().HasForeignKey(t => t.RoutedToId).OnDelete(DeleteBehavior.Restrict);
        ticket.HasMany(t => t.Helpers).WithOne(h => h.Ticket).HasForeignKey(h => h.TicketId).OnDelete(DeleteBehavior.Cascade);
        ticket.HasMany(t => t.Events).WithOne(e => e.Ticket).HasForeignKey(e => e.TicketId).OnDelete(DeleteBehavior.Cascade);

        // The board reads open tickets and today's resolved ones; reports read by period.
        ticket.HasIndex(t => new { t.Status, t.ReportedAt });
        ticket.HasIndex(t => t.ResolvedAt);
        // Covers every column the reports read, so a period's figures come from the index alone (see ReportService).
        ticket.HasIndex(t => new { t.ReportedAt, t.ClaimedAt, t.ResolvedAt, t.ResponseDueAt, t.TimeToClaim, t.TimeToOnSite, t.TimeToResolve, t.Status, t.Category, t.AreaId, t.ClaimedById, t.ReopenCount, t.Rating })
            .HasDatabaseName("IX_Tickets_Reports");
        ticket.HasIndex(t => t.AreaId);
        ticket.HasIndex(t => t.ClaimedById);
        // The sweeps: unclaimed tickets past their target, resolved tickets past the auto-close delay.
        ticket.HasIndex(t => new { t.Status, t.ResponseDueAt });
        ticket.HasIndex(t => new { t.Status, t.PlannedFor });
        // The auto-close sweep (resolved past the delay), and the report's teamwork (who led the jobs resolved in a period).
        ticket.HasIndex(t => new { t.Status, t.ResolvedAt, t.ClaimedById });
    }
}

public sealed class TicketEventConfiguration : IEntityTypeConfiguration<TicketEvent>
{
    public void Configure(EntityTypeBuilder<TicketEvent> ticketEvent)
    {
        ticketEvent.Property(e => e.ActorName).HasMaxLength(TicketEvent.ActorNameMaxLength);
        ticketEvent.Property(e => e.Note).HasMaxLength(Ticket.NoteMaxLength);
        ticketEvent.HasIndex(e => new { e.TicketId, e.Version });
    }
}

public sealed class TicketHelperConfiguration : IEntityTypeConfiguration<TicketHelper>
{
    public void Configure(EntityTypeBuilder<TicketHelper> helper)
    {
        helper.Property(h => h.AddedByName).HasMaxLength(TicketEvent.ActorNameMaxLength);
        helper.HasIndex(h => new { h.TicketId, h.StaffId }).IsUnique();
        helper.HasIndex(h => h.StaffId);
        helper.HasOne(h => h.Staff).WithMany().HasForeignKey(h => h.StaffId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class TicketReportConfiguration : IEntityTypeConfiguration<TicketReport>
{
    public void Configure(EntityTypeBuilder<TicketReport> report)
    {
        report.Property(r => r.TrackingCode).HasMaxLength(TrackingCode.Length).IsFixedLength();
        report.HasIndex(r => r.TrackingCode).IsUnique();
        report.Property(r => r.ReporterName).HasMaxLength(Ticket.ReporterNameMaxLength);
        report.Property(r => r.ReporterContact).HasMaxLength(Ticket.ReporterContactMaxLength);
        report.Property(r => r.ReporterEmail).HasMaxLength(Ticket.ReporterContactMaxLength);
        report.Property(r => r.ReporterCulture).HasMaxLength(Ticket.ReporterCultureMaxLength);
        report.Property(r => r.ClientNetwork).HasMaxLength(64);
        report.HasOne(r => r.Ticket).WithMany().HasForeignKey(r => r.TicketId).OnDelete(DeleteBehavior.Cascade);
        report.HasIndex(r => r.TicketId);
        report.HasIndex(r => new { r.ClientNetwork, r.ReportedAt });
    }
}
