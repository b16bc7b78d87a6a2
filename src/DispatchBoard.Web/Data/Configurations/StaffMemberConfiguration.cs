using DispatchBoard.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class StaffMemberConfiguration : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> staff)
    {
        staff.ToTable("StaffMembers");
        staff.Property(s => s.DisplayName).HasMaxLength(StaffMember.NameMaxLength);
        staff.Property(s => s.Phone).HasMaxLength(StaffMember.PhoneMaxLength);
        staff.Property(s => s.DutyChangedBy).HasMaxLength(StaffMember.DutyChangedByMaxLength);
        staff.HasIndex(s => s.UserId).IsUnique();
        staff.HasOne(s => s.User).WithOne().HasForeignKey<StaffMember>(s => s.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
