using DispatchBoard.Web.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> notification)
    {
        notification.Property(n => n.UserId).HasMaxLength(450);
        notification.Property(n => n.Title).HasMaxLength(Notification.TitleMaxLength);
        notification.Property(n => n.Body).HasMaxLength(Notification.BodyMaxLength);
        notification.Property(n => n.Link).HasMaxLength(200);
        notification.Property(n => n.Key).HasMaxLength(Notification.KeyMaxLength);
        // The idempotency guard: a sweep that runs twice, concurrently or after a restart cannot store an alert twice.
        notification.HasIndex(n => n.Key).IsUnique();
        notification.HasIndex(n => new { n.UserId, n.ReadAt, n.CreatedAt });
    }
}
