using DispatchBoard.Web.Calendar;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class SemesterConfiguration : IEntityTypeConfiguration<Semester>
{
    public void Configure(EntityTypeBuilder<Semester> semester)
    {
        semester.Property(s => s.Name).HasMaxLength(Semester.NameMaxLength);
        semester.HasIndex(s => s.Name).IsUnique();
        semester.HasIndex(s => s.StartsOn);
    }
}
