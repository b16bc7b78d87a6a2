using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Push;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class PushSubscriptionConfiguration : IEntityTypeConfiguration<PushSubscription>
{
    public void Configure(EntityTypeBuilder<PushSubscription> subscription)
    {
        subscription.Property(s => s.UserId).HasMaxLength(450);
        subscription.Property(s => s.Endpoint).HasMaxLength(PushSubscription.EndpointMaxLength);
        subscription.Property(s => s.P256dh).HasMaxLength(PushSubscription.KeyMaxLength);
        subscription.Property(s => s.Auth).HasMaxLength(PushSubscription.KeyMaxLength);
        subscription.Property(s => s.Label).HasMaxLength(PushSubscription.LabelMaxLength);
        // Upsert by endpoint: one browser is one row, whoever signed in on it last.
        subscription.HasIndex(s => s.Endpoint).IsUnique();
        subscription.HasIndex(s => new { s.UserId, s.CreatedAt });
    }
}

public sealed class PushDeliveryConfiguration : IEntityTypeConfiguration<PushDelivery>
{
    public void Configure(EntityTypeBuilder<PushDelivery> delivery)
    {
        // The exactly-once guard: claiming a delivery is an insert under this key.
        delivery.HasIndex(d => new { d.NotificationId, d.SubscriptionId }).IsUnique();
        delivery.HasIndex(d => new { d.Outcome, d.NextAttemptAt });
        delivery.HasIndex(d => d.SubscriptionId);
        delivery.Property(d => d.Error).HasMaxLength(PushDelivery.ErrorMaxLength);
        delivery.HasOne<Notification>().WithMany().HasForeignKey(d => d.NotificationId).OnDelete(DeleteBehavior.Cascade);
        delivery.HasOne<PushSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class PushVapidKeyConfiguration : IEntityTypeConfiguration<PushVapidKey>
{
    public void Configure(EntityTypeBuilder<PushVapidKey> key)
    {
        key.Property(k => k.Id).ValueGeneratedNever();
        key.Property(k => k.PublicKey).HasMaxLength(100);
        key.Property(k => k.PrivateKey).HasMaxLength(100);
    }
}
