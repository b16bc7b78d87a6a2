using DispatchBoard.Web.Planning;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class PlanItemConfiguration : IEntityTypeConfiguration<PlanItem>
{
    public void Configure(EntityTypeBuilder<PlanItem> item)
    {
        item.Property(i => i.Title).HasMaxLength(PlanItem.TitleMaxLength);
        item.Property(i => i.Notes).HasMaxLength(PlanItem.NotesMaxLength);
        item.HasIndex(i => new { i.SemesterId, i.Phase, i.Month, i.SortOrder });
        item.HasIndex(i => new { i.OwnerId, i.Status });
        item.HasOne(i => i.Semester).WithMany().HasForeignKey(i => i.SemesterId).OnDelete(DeleteBehavior.Cascade);
        item.HasOne(i => i.Owner).WithMany().HasForeignKey(i => i.OwnerId).OnDelete(DeleteBehavior.SetNull);
        item.HasOne<PlanItem>().WithMany().HasForeignKey(i => i.CarriedFromId).OnDelete(DeleteBehavior.SetNull);
        item.HasMany(i => i.Helpers).WithOne(h => h.PlanItem).HasForeignKey(h => h.PlanItemId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class PlanItemHelperConfiguration : IEntityTypeConfiguration<PlanItemHelper>
{
    public void Configure(EntityTypeBuilder<PlanItemHelper> helper)
    {
        helper.HasIndex(h => new { h.PlanItemId, h.StaffId }).IsUnique();
        helper.HasIndex(h => h.StaffId);
        helper.HasOne(h => h.Staff).WithMany().HasForeignKey(h => h.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class SuggestionConfiguration : IEntityTypeConfiguration<Suggestion>
{
    public void Configure(EntityTypeBuilder<Suggestion> suggestion)
    {
        suggestion.Property(s => s.AuthorUserId).HasMaxLength(450);
        suggestion.Property(s => s.AuthorName).HasMaxLength(100);
        suggestion.Property(s => s.Title).HasMaxLength(Suggestion.TitleMaxLength);
        suggestion.Property(s => s.Body).HasMaxLength(Suggestion.BodyMaxLength);
        suggestion.Property(s => s.Reply).HasMaxLength(Suggestion.ReplyMaxLength);
        suggestion.Property(s => s.RepliedBy).HasMaxLength(100);
        // SQLite has no decimal type; as TEXT the amount stays exact.
        suggestion.Property(s => s.CostEstimate).HasConversion<string>();
        suggestion.HasIndex(s => new { s.Status, s.CreatedAt });
        suggestion.HasIndex(s => s.AuthorUserId);
    }
}
