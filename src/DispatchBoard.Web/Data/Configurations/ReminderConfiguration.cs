using DispatchBoard.Web.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class ReminderConfiguration : IEntityTypeConfiguration<Reminder>
{
    public void Configure(EntityTypeBuilder<Reminder> reminder)
    {
        reminder.Property(r => r.Key).HasMaxLength(Reminder.KeyMaxLength);
        reminder.HasIndex(r => r.Key).IsUnique();
        reminder.Property(r => r.UserId).HasMaxLength(450);
        reminder.Property(r => r.EmailError).HasMaxLength(500);
        reminder.HasIndex(r => new { r.EmailClaimedAt, r.CreatedAt });
    }
}
