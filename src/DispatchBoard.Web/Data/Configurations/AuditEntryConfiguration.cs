using DispatchBoard.Web.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        // The triggers refuse UPDATE and DELETE; declared so EF plans its statements knowing the table has triggers.
        entry.ToTable("AuditEntries", t =>
        {
            t.HasTrigger(AuditTriggers.NoUpdate);
            t.HasTrigger(AuditTriggers.NoDelete);
        });
        entry.Property(e => e.ActorUserId).HasMaxLength(450);
        entry.Property(e => e.ActorName).HasMaxLength(AuditEntry.NameMaxLength);
        entry.Property(e => e.Subject).HasMaxLength(AuditEntry.SubjectMaxLength);
        entry.Property(e => e.Details).HasMaxLength(AuditEntry.DetailsMaxLength);
        entry.Property(e => e.Address).HasMaxLength(AuditEntry.AddressMaxLength);
        // The page lists newest first, filtered by kind or person.
        entry.HasIndex(e => e.At);
        entry.HasIndex(e => new { e.Kind, e.At });
        entry.HasIndex(e => new { e.ActorUserId, e.At });
    }
}
