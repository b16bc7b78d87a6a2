using DispatchBoard.Web.Calendar;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class CalendarPeriodConfiguration : IEntityTypeConfiguration<CalendarPeriod>
{
    public void Configure(EntityTypeBuilder<CalendarPeriod> entry)
    {
        entry.Property(e => e.Name).HasMaxLength(CalendarPeriod.NameMaxLength);
        entry.HasIndex(e => new { e.From, e.To });
    }
}
