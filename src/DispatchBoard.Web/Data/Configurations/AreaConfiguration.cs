using DispatchBoard.Web.Areas;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class AreaConfiguration : IEntityTypeConfiguration<Area>
{
    public void Configure(EntityTypeBuilder<Area> area)
    {
        area.Property(a => a.Code).HasMaxLength(Area.CodeMaxLength);
        area.HasIndex(a => a.Code).IsUnique();
        area.Property(a => a.Name).HasMaxLength(Area.NameMaxLength);
        area.HasOne(a => a.Parent).WithMany().HasForeignKey(a => a.ParentId).OnDelete(DeleteBehavior.Restrict);
        area.HasOne(a => a.Owner).WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Restrict);
        area.HasOne(a => a.Backup).WithMany().HasForeignKey(a => a.BackupId).OnDelete(DeleteBehavior.Restrict);
    }
}
