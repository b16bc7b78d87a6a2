using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Meetings;
using DispatchBoard.Web.Planning;
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

public sealed class ChecklistItemTemplateConfiguration : IEntityTypeConfiguration<ChecklistItemTemplate>
{
    public void Configure(EntityTypeBuilder<ChecklistItemTemplate> item)
    {
        item.Property(i => i.Text).HasMaxLength(ChecklistItemTemplate.TextMaxLength);
        item.HasIndex(i => new { i.Kind, i.SortOrder });
    }
}

public sealed class InspectionRoundConfiguration : IEntityTypeConfiguration<InspectionRound>
{
    public void Configure(EntityTypeBuilder<InspectionRound> round)
    {
        // One round per area group per week, whatever runs the weekly job, how often or after which restart.
        round.HasIndex(r => new { r.AreaId, r.WeekOf }).IsUnique();
        round.HasIndex(r => r.DueAt);
        round.HasIndex(r => r.AssignedToId);
        round.HasOne(r => r.Area).WithMany().HasForeignKey(r => r.AreaId).OnDelete(DeleteBehavior.Restrict);
        round.HasOne(r => r.AssignedTo).WithMany().HasForeignKey(r => r.AssignedToId).OnDelete(DeleteBehavior.Restrict);
        round.HasMany(r => r.Items).WithOne(i => i.Round).HasForeignKey(i => i.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class InspectionItemConfiguration : IEntityTypeConfiguration<InspectionItem>
{
    public void Configure(EntityTypeBuilder<InspectionItem> item)
    {
        item.Property(i => i.Text).HasMaxLength(ChecklistItemTemplate.TextMaxLength);
        item.Property(i => i.Note).HasMaxLength(InspectionItem.NoteMaxLength);
        item.HasIndex(i => new { i.RoundId, i.SortOrder });
        item.HasOne<Tickets.Ticket>().WithMany().HasForeignKey(i => i.TicketId).OnDelete(DeleteBehavior.SetNull);
    }
}

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
