using DispatchBoard.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class AccountLinkConfiguration : IEntityTypeConfiguration<AccountLink>
{
    public void Configure(EntityTypeBuilder<AccountLink> link)
    {
        link.Property(l => l.TokenHash).HasMaxLength(AccountLink.TokenHashLength).IsFixedLength();
        link.Property(l => l.CreatedByName).HasMaxLength(AccountLink.ByMaxLength);
        link.Property(l => l.CreatedByUserId).HasMaxLength(450);
        link.HasIndex(l => l.TokenHash).IsUnique();
        link.HasIndex(l => new { l.UserId, l.UsedAt, l.VoidedAt });
        link.HasOne(l => l.User).WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
