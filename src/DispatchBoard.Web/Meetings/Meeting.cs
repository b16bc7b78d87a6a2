using DispatchBoard.Web.Calendar;

namespace DispatchBoard.Web.Meetings;

public enum MeetingKind
{
    /// <summary>An occurrence of a recurring series (the monthly staff meeting).</summary>
    Series,
    /// <summary>Planning before a semester starts.</summary>
    SemesterBefore,
    /// <summary>Planning after a semester has started.</summary>
    SemesterAfter,
    OneOff,
}

/// <summary>A recurring meeting (e.g. the monthly logistics staff meeting): its occurrences become <see cref="Meeting"/>s.</summary>
public sealed class MeetingSeries
{
    public const int NameMaxLength = 100;
    public const int PlaceMaxLength = 100;
    public const int TextMaxLength = 4000;

    public int Id { get; set; }

    /// <summary>Stable name from configuration ("monthly-staff"), so a restart updates rather than duplicates it.</summary>
    public required string Key { get; set; }
    public required string Name { get; set; }

    /// <summary>Cron in the school's time zone; Cronos syntax, so "0 16 * * MON#1" is the first Monday at 16:00.</summary>
    public required string Cron { get; set; }
    public int DurationMinutes { get; set; } = 60;
    public string? Place { get; set; }
    public string? AgendaTemplate { get; set; }

    /// <summary>Roles whose active members attend, comma separated (e.g. "Staff,Dispatcher").</summary>
    public string AttendeeRoles { get; set; } = "Staff,Dispatcher";
    public bool IsActive { get; set; } = true;
}

public sealed class Meeting
{
    public const int TitleMaxLength = 150;
    public const int OccurrenceKeyMaxLength = 100;

    public int Id { get; set; }
    public MeetingKind Kind { get; set; }
    public int? SeriesId { get; set; }
    public MeetingSeries? Series { get; set; }
    public int? SemesterId { get; set; }
    public Semester? Semester { get; set; }
    public required string Title { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public string? Place { get; set; }
    public string? Agenda { get; set; }
    public string? Minutes { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>Unique: the scheduler can run any number of times and creates each occurrence once.</summary>
    public required string OccurrenceKey { get; set; }

    public List<MeetingAttendee> Attendees { get; } = [];
}

public sealed class MeetingAttendee
{
    public int MeetingId { get; set; }
    public Meeting? Meeting { get; set; }
    public required string UserId { get; set; }

    /// <summary>Recorded after the meeting: true present, false absent, null not recorded.</summary>
    public bool? Attended { get; set; }
}
