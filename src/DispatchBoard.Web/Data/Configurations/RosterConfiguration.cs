using DispatchBoard.Web.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class RosterSlotConfiguration : IEntityTypeConfiguration<RosterSlot>
{
    public void Configure(EntityTypeBuilder<RosterSlot> slot)
    {
        slot.ToTable("RosterSlots", t =>
        {
            t.HasCheckConstraint("CK_RosterSlots_Start", "StartMinute >= 0 AND StartMinute < 1440");
            t.HasCheckConstraint("CK_RosterSlots_End", "EndMinute > 0 AND EndMinute <= 1440");
        });
        slot.Ignore(s => s.LengthMinutes);
        slot.Ignore(s => s.Label);
        slot.HasIndex(s => new { s.StaffId, s.Day });
        slot.HasOne(s => s.Staff).WithMany().HasForeignKey(s => s.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class RosterSwapConfiguration : IEntityTypeConfiguration<RosterSwap>
{
    public void Configure(EntityTypeBuilder<RosterSwap> swap)
    {
        swap.ToTable("RosterSwaps");
        // One cover per occurrence: the unique key is what makes a second swap for the same slot and date a conflict.
        swap.HasIndex(s => new { s.SlotId, s.Date }).IsUnique();
        swap.HasIndex(s => s.Date);
        swap.HasOne(s => s.Slot).WithMany().HasForeignKey(s => s.SlotId).OnDelete(DeleteBehavior.Cascade);
        swap.HasOne(s => s.Substitute).WithMany().HasForeignKey(s => s.SubstituteId).OnDelete(DeleteBehavior.Restrict);
    }
}
