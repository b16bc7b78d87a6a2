using DispatchBoard.Web.Photos;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class PhotoConfiguration : IEntityTypeConfiguration<Photo>
{
    public void Configure(EntityTypeBuilder<Photo> photo)
    {
        photo.Property(p => p.StoredName).HasMaxLength(80);
        photo.HasIndex(p => p.StoredName).IsUnique();
        photo.Property(p => p.ContentType).HasMaxLength(20);
        photo.Property(p => p.ThumbnailName).HasMaxLength(80);
        photo.Property(p => p.ClientNetwork).HasMaxLength(64);
        photo.HasIndex(p => new { p.ClientNetwork, p.UploadedAt });
        photo.HasOne(p => p.Ticket).WithMany().HasForeignKey(p => p.TicketId).OnDelete(DeleteBehavior.Cascade);
        photo.HasIndex(p => p.TicketId);
        photo.HasOne(p => p.TicketEvent).WithMany().HasForeignKey(p => p.TicketEventId).OnDelete(DeleteBehavior.Cascade);
        photo.HasIndex(p => p.TicketEventId);
        photo.HasOne<Inspections.InspectionItem>().WithMany().HasForeignKey(p => p.InspectionItemId).OnDelete(DeleteBehavior.SetNull);
    }
}
