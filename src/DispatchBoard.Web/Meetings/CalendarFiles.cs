using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace DispatchBoard.Web.Meetings;

public sealed record CalendarEntry(string Uid, string Summary, DateTimeOffset Starts, DateTimeOffset Ends, string? Location, string? Description,
    bool Cancelled = false);

/// <summary>iCalendar (RFC 5545) text for invitations and the personal feeds; times in UTC so every calendar agrees.</summary>
public static class CalendarFiles
{
    public static string Write(IEnumerable<CalendarEntry> entries, string name, string? method = null)
    {
        // Qualified: inside DispatchBoard.Web, "Calendar" is the school calendar's namespace.
        var calendar = new Ical.Net.Calendar { ProductId = "-//DispatchBoard//School logistics//EN" };
        if (method is not null)
        {
            calendar.Method = method;
        }
        calendar.AddProperty("X-WR-CALNAME", name);
        foreach (var entry in entries)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = entry.Uid,
                Summary = entry.Summary,
                Location = entry.Location,
                Description = entry.Description,
                DtStart = new CalDateTime(entry.Starts.UtcDateTime, "UTC"),
                DtEnd = new CalDateTime(entry.Ends.UtcDateTime, "UTC"),
                Status = entry.Cancelled ? "CANCELLED" : "CONFIRMED",
            });
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
