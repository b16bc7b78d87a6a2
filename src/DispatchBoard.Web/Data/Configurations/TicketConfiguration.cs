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
        ticket.ToTable(t => t.HasCheckConstraint("CK_Tickets_Rating", "Rating IS NULL OR (Rating BETWEEN 1 AND 5)"));
        ticket.Property(t => t.Version).IsConcurrencyToken();
        ticket.Property(t => t.TimeToClaim).HasConversion<MillisecondsConverter>();
        ticket.Property(t => t.TimeToOnSite).HasConversion<MillisecondsConverter>();
        ticket.Property(t => t.TimeToResolve).HasConversion<MillisecondsConverter>();

        ticket.HasOne(t => t.Area).WithMany().HasForeignKey(t => t.AreaId).OnDelete(DeleteBehavior.Restrict);
        ticket.HasOne(t => t.ClaimedBy).WithMany().HasForeignKey(t => t.ClaimedById).OnDelete(DeleteBehavior.Restrict);
        ticket.HasOne(t => t.RoutedTo).WithMany().HasForeignKey(t => t.RoutedToId).OnDelete(DeleteBehavior.Restrict);
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
        ticket.HasIndex(t => new { t.Status, t.ResolvedAt });
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
