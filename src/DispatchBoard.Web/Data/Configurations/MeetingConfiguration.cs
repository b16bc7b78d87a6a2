using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Meetings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DispatchBoard.Web.Data.Configurations;

public sealed class MeetingSeriesConfiguration : IEntityTypeConfiguration<MeetingSeries>
{
    public void Configure(EntityTypeBuilder<MeetingSeries> series)
    {
        series.Property(s => s.Key).HasMaxLength(50);
        series.HasIndex(s => s.Key).IsUnique();
        series.Property(s => s.Name).HasMaxLength(MeetingSeries.NameMaxLength);
        series.Property(s => s.Cron).HasMaxLength(100);
        series.Property(s => s.Place).HasMaxLength(MeetingSeries.PlaceMaxLength);
        series.Property(s => s.AgendaTemplate).HasMaxLength(MeetingSeries.TextMaxLength);
        series.Property(s => s.AttendeeRoles).HasMaxLength(100);
    }
}

public sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> meeting)
    {
        meeting.Property(m => m.Title).HasMaxLength(Meeting.TitleMaxLength);
        meeting.Property(m => m.Place).HasMaxLength(MeetingSeries.PlaceMaxLength);
        meeting.Property(m => m.Agenda).HasMaxLength(MeetingSeries.TextMaxLength);
        meeting.Property(m => m.Minutes).HasMaxLength(MeetingSeries.TextMaxLength * 4);
        meeting.Property(m => m.OccurrenceKey).HasMaxLength(Meeting.OccurrenceKeyMaxLength);
        meeting.HasIndex(m => m.OccurrenceKey).IsUnique();
        meeting.HasIndex(m => m.StartsAt);
        meeting.HasOne(m => m.Series).WithMany().HasForeignKey(m => m.SeriesId).OnDelete(DeleteBehavior.SetNull);
        meeting.HasOne(m => m.Semester).WithMany().HasForeignKey(m => m.SemesterId).OnDelete(DeleteBehavior.SetNull);
        meeting.HasMany(m => m.Attendees).WithOne(a => a.Meeting).HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class MeetingAttendeeConfiguration : IEntityTypeConfiguration<MeetingAttendee>
{
    public void Configure(EntityTypeBuilder<MeetingAttendee> attendee)
    {
        attendee.HasKey(a => new { a.MeetingId, a.UserId });
        attendee.Property(a => a.UserId).HasMaxLength(450);
        attendee.HasIndex(a => a.UserId);
        attendee.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
