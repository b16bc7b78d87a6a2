using System.Globalization;
using DispatchBoard.Web.Calendar;
using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Staff;

/// <summary>
/// One occurrence of a roster slot: the slot's times on a date, with the person who covers it after swaps.
/// <see cref="Applies"/> is false for a standby slot on a day the school is closed (nobody is put on standby on a closure).
/// </summary>
public sealed record RosterOccurrence(int SlotId, RosterKind Kind, int StaffId, int OwnerId, DateOnly Date, DateTimeOffset Start,
    DateTimeOffset End, string Label, int? SwapId, bool Applies)
{
    public bool Covers(DateTimeOffset instant) => Applies && Start <= instant && instant < End;
}

/// <summary>A roster edge of one person: the instant their standby begins or ends, and the slot that makes it.</summary>
public sealed record RosterEdge(DateTimeOffset At, bool OnDuty, string Label);

/// <summary>
/// The roster's arithmetic, pure: times of day, the weekly overlap check, the occurrences of slots on dates (calendar and
/// swaps applied) and each person's standby edges. Wall times become instants like <see cref="SchoolClock.At"/>, so an
/// occurrence across a daylight-saving change lasts its real elapsed length.
/// </summary>
public static class Roster
{
    private const int MinutesPerWeek = 7 * RosterSlot.MinutesPerDay;

    /// <summary>"07:30"; 1440 is "24:00".</summary>
    public static string FormatMinute(int minute) =>
        minute >= RosterSlot.MinutesPerDay ? "24:00" : $"{minute / 60:00}:{minute % 60:00}";

    /// <summary>Reads "HH:mm" ("24:00" only as an end) into minutes after midnight.</summary>
    public static bool TryParseTime(string? text, bool isEnd, out int minute)
    {
        minute = 0;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        if (value == "24:00")
        {
            minute = RosterSlot.MinutesPerDay;
            return isEnd;
        }
        if (!TimeOnly.TryParseExact(value, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return false;
        }
        minute = time.Hour * 60 + time.Minute;
        // An end of 00:00 is the midnight that ends the day (an overnight slot to midnight, or a whole day from 00:00).
        if (isEnd && minute == 0)
        {
            minute = RosterSlot.MinutesPerDay;
        }
        return true;
    }

    /// <summary>Whether two weekly slots share any minute of the week (an overnight Sunday slot runs into Monday).</summary>
    public static bool Overlap(RosterSlot a, RosterSlot b)
    {
        var (a0, a1) = WeekSpan(a);
        var (b0, b1) = WeekSpan(b);
        for (var shift = -MinutesPerWeek; shift <= MinutesPerWeek; shift += MinutesPerWeek)
        {
            if (a0 < b1 + shift && b0 + shift < a1)
            {
                return true;
            }
        }
        return false;
    }

    private static (int Start, int End) WeekSpan(RosterSlot slot)
    {
        var start = (((int)slot.Day + 6) % 7) * RosterSlot.MinutesPerDay + slot.StartMinute;
        return (start, start + slot.LengthMinutes);
    }

    /// <summary>The occurrences of <paramref name="slots"/> that start on the dates <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static IEnumerable<RosterOccurrence> Occurrences(IEnumerable<RosterSlot> slots, IEnumerable<RosterSwap> swaps,
        WorkingCalendar calendar, TimeZoneInfo zone, DateOnly from, DateOnly to)
    {
        var bySlotAndDate = swaps.ToDictionary(s => (s.SlotId, s.Date));
        var byDay = slots.ToLookup(s => s.Day);
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            foreach (var slot in byDay[date.DayOfWeek].OrderBy(s => s.StartMinute))
            {
                var start = SchoolClock.At(zone, date, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(slot.StartMinute)));
                var endDate = slot.EndMinute > slot.StartMinute && slot.EndMinute < RosterSlot.MinutesPerDay ? date : date.AddDays(1);
                var end = SchoolClock.At(zone, endDate, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(slot.EndMinute % RosterSlot.MinutesPerDay)));
                var swap = bySlotAndDate.GetValueOrDefault((slot.Id, date));
                var applies = slot.Kind == RosterKind.OnCall || calendar.IsSchoolDay(date);
                yield return new RosterOccurrence(slot.Id, slot.Kind, swap?.SubstituteId ?? slot.StaffId, slot.StaffId, date, start, end,
                    slot.Label, swap?.Id, applies);
            }
        }
    }

    /// <summary>
    /// A person's standby edges, sorted: where the union of their standby occurrences begins and ends (two slots that
    /// touch make one stretch, so the roster does not switch anyone off and on at the same instant).
    /// </summary>
    public static IReadOnlyList<RosterEdge> StandbyEdges(IEnumerable<RosterOccurrence> occurrences, int staffId)
    {
        var mine = occurrences.Where(o => o.Kind == RosterKind.Standby && o.Applies && o.StaffId == staffId && o.End > o.Start)
            .OrderBy(o => o.Start).ToList();
        var edges = new List<RosterEdge>();
        var i = 0;
        while (i < mine.Count)
        {
            var first = mine[i];
            var last = first;
            var end = first.End;
            for (i++; i < mine.Count && mine[i].Start <= end; i++)
            {
                if (mine[i].End > end)
                {
                    end = mine[i].End;
                    last = mine[i];
                }
            }
            edges.Add(new RosterEdge(first.Start, true, Describe(first)));
            edges.Add(new RosterEdge(end, false, Describe(last)));
        }
        return edges;
    }

    /// <summary>"Mon 07:30–12:00", with "(swap)" when the person covers a colleague's slot.</summary>
    public static string Describe(RosterOccurrence o) => o.SwapId is null ? o.Label : $"{o.Label} (swap)";
}
