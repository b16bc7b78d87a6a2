using DispatchBoard.Web.Displays;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class OfficeDisplayConfiguration : IEntityTypeConfiguration<OfficeDisplay>
{
    public void Configure(EntityTypeBuilder<OfficeDisplay> display)
    {
        display.Property(d => d.Name).HasMaxLength(OfficeDisplay.NameMaxLength);
        display.Property(d => d.CreatedBy).HasMaxLength(OfficeDisplay.ByMaxLength);
        display.Property(d => d.RevokedBy).HasMaxLength(OfficeDisplay.ByMaxLength);
        display.Property(d => d.PairingCodeHash).HasMaxLength(64);
        // Names are unique among the displays in use; a revoked display's name can be given again.
        display.HasIndex(d => d.Name).IsUnique().HasFilter("\"RevokedAt\" IS NULL");
        display.HasIndex(d => d.PairingCodeHash);
    }
}
