using DispatchBoard.Web.Escalations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class EscalationConfiguration : IEntityTypeConfiguration<Escalation>
{
    public void Configure(EntityTypeBuilder<Escalation> escalation)
    {
        escalation.Property(e => e.Note).HasMaxLength(Escalation.NoteMaxLength);
        escalation.Property(e => e.DecisionNote).HasMaxLength(Escalation.NoteMaxLength);
        escalation.Property(e => e.ContractorNote).HasMaxLength(Escalation.NoteMaxLength);
        escalation.Property(e => e.DecidedByName).HasMaxLength(100);
        escalation.HasOne(e => e.Ticket).WithMany().HasForeignKey(e => e.TicketId).OnDelete(DeleteBehavior.Cascade);
        escalation.HasOne(e => e.RaisedBy).WithMany().HasForeignKey(e => e.RaisedById).OnDelete(DeleteBehavior.Restrict);
        escalation.HasIndex(e => new { e.Decision, e.RaisedAt });
        escalation.HasIndex(e => e.TicketId);
    }
}
