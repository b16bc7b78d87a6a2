using DispatchBoard.Web.ReporterMail;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class ReporterMessageConfiguration : IEntityTypeConfiguration<ReporterMessage>
{
    public void Configure(EntityTypeBuilder<ReporterMessage> message)
    {
        message.Property(m => m.ToAddress).HasMaxLength(ReporterMessage.AddressMaxLength);
        message.Property(m => m.ToName).HasMaxLength(Ticket.ReporterNameMaxLength);
        message.Property(m => m.RecipientCode).HasMaxLength(TrackingCode.Length);
        message.Property(m => m.Subject).HasMaxLength(ReporterMessage.SubjectMaxLength);
        message.Property(m => m.Body).HasMaxLength(ReporterMessage.BodyMaxLength);
        message.Property(m => m.LastError).HasMaxLength(ReporterMessage.ErrorMaxLength);
        // Exactly once per (ticket, version, step, address): a second staging of the same step cannot be stored.
        message.HasIndex(m => new { m.TicketId, m.Version, m.Step, m.ToAddress }).IsUnique();
        message.HasIndex(m => new { m.Status, m.NextAttemptAt });
        message.HasOne<Ticket>().WithMany().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}
