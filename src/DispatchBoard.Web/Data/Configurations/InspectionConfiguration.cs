using DispatchBoard.Web.Inspections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class ChecklistItemTemplateConfiguration : IEntityTypeConfiguration<ChecklistItemTemplate>
{
    public void Configure(EntityTypeBuilder<ChecklistItemTemplate> item)
    {
        item.Property(i => i.Text).HasMaxLength(ChecklistItemTemplate.TextMaxLength);
        item.HasIndex(i => new { i.Kind, i.SortOrder });
    }
}

public sealed class InspectionRoundConfiguration : IEntityTypeConfiguration<InspectionRound>
{
    public void Configure(EntityTypeBuilder<InspectionRound> round)
    {
        // One round per area group per week, whatever runs the weekly job, how often or after which restart.
        round.HasIndex(r => new { r.AreaId, r.WeekOf }).IsUnique();
        round.HasIndex(r => r.DueAt);
        round.HasIndex(r => r.AssignedToId);
        round.HasOne(r => r.Area).WithMany().HasForeignKey(r => r.AreaId).OnDelete(DeleteBehavior.Restrict);
        round.HasOne(r => r.AssignedTo).WithMany().HasForeignKey(r => r.AssignedToId).OnDelete(DeleteBehavior.Restrict);
        round.HasMany(r => r.Items).WithOne(i => i.Round).HasForeignKey(i => i.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class InspectionItemConfiguration : IEntityTypeConfiguration<InspectionItem>
{
    public void Configure(EntityTypeBuilder<InspectionItem> item)
    {
        item.Property(i => i.Text).HasMaxLength(ChecklistItemTemplate.TextMaxLength);
        item.Property(i => i.Note).HasMaxLength(InspectionItem.NoteMaxLength);
        item.HasIndex(i => new { i.RoundId, i.SortOrder });
        item.HasOne<Tickets.Ticket>().WithMany().HasForeignKey(i => i.TicketId).OnDelete(DeleteBehavior.SetNull);
    }
}
