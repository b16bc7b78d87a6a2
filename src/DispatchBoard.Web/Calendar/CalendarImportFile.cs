using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using CsvHelper.Configuration;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using static DispatchBoard.Web.Calendar.CalendarText;

namespace DispatchBoard.Web.Calendar;

public enum CalendarImportFormat
{
    Csv,
    ICalendar,
}

/// <summary>
/// One row of a CSV file, or one event (or one occurrence of a repeating event) of an .ics file, as read: the entry it
/// asks for, or why it cannot be read (<see cref="Field"/> and <see cref="Error"/>), or why it is left out (<see cref="Skip"/>).
/// </summary>
public sealed record CalendarImportLine(int Line, string Where, string? Name, CalendarDayKind? Kind, DateOnly? From, DateOnly? To,
    string? Field = null, string? Error = null, string? Skip = null);

/// <summary>The lines of a file, or the reason the file as a whole cannot be read.</summary>
public sealed record CalendarImportFileContent(IReadOnlyList<CalendarImportLine> Lines, string? FileError)
{
    public static CalendarImportFileContent Unreadable(string message) => new([], message);
}

/// <summary>
/// Reads a school calendar from CSV (Name, Kind, From, To) or iCalendar (.ics: all-day VEVENTs). Pure: the same bytes,
/// kind and day give the same lines; what is already in the database is decided by <see cref="CalendarPeriods.ImportAsync"/>.
/// </summary>
public static partial class CalendarImportFile
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxLines = 2000;

    /// <summary>A repeating event is expanded at most this many times in its window (a yearly holiday needs 3).</summary>
    public const int MaxOccurrences = 60;

    public static readonly string[] CsvColumns = ["Name", "Kind", "From", "To"];

    /// <summary>The words a Kind cell or an event's CATEGORIES may use, compared by their letters only, lower case.</summary>
    private static readonly Dictionary<string, CalendarDayKind> KindWords = new(StringComparer.Ordinal)
    {
        ["closure"] = CalendarDayKind.Closure, ["closed"] = CalendarDayKind.Closure, ["holiday"] = CalendarDayKind.Closure,
        ["holidays"] = CalendarDayKind.Closure, ["publicholiday"] = CalendarDayKind.Closure, ["dayoff"] = CalendarDayKind.Closure,
        ["break"] = CalendarDayKind.Closure, ["vacation"] = CalendarDayKind.Closure, ["schoolholiday"] = CalendarDayKind.Closure,
        ["skeletonday"] = CalendarDayKind.SkeletonDay, ["skeleton"] = CalendarDayKind.SkeletonDay, ["skeletonstaff"] = CalendarDayKind.SkeletonDay,
        ["makeupday"] = CalendarDayKind.MakeUpDay, ["makeup"] = CalendarDayKind.MakeUpDay, ["makeupschoolday"] = CalendarDayKind.MakeUpDay,
        ["makeupworkingday"] = CalendarDayKind.MakeUpDay, ["workingday"] = CalendarDayKind.MakeUpDay, ["workday"] = CalendarDayKind.MakeUpDay,
        ["schoolday"] = CalendarDayKind.MakeUpDay,
    };

    public static string KindWordsText => "Closure (or holiday, 放假), SkeletonDay (or skeleton, 值班), MakeUpDay (or make-up, 补班)";

    /// <summary>The format a file name or its first bytes say: .ics / text starting with BEGIN:VCALENDAR is iCalendar.</summary>
    public static CalendarImportFormat Guess(string? fileName, ReadOnlySpan<byte> content)
    {
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (extension is ".ics" or ".ical" or ".icalendar")
        {
            return CalendarImportFormat.ICalendar;
        }
        if (extension == ".csv")
        {
            return CalendarImportFormat.Csv;
        }
        var start = Decode(content[..Math.Min(content.Length, 64)]).TrimStart();
        return start.StartsWith("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase) ? CalendarImportFormat.ICalendar : CalendarImportFormat.Csv;
    }

    /// <summary>The same in Chinese, compared as written.</summary>
    private static readonly Dictionary<string, CalendarDayKind> ChineseKindWords = new(StringComparer.Ordinal)
    {
        ["放假"] = CalendarDayKind.Closure, ["假期"] = CalendarDayKind.Closure, ["节假日"] = CalendarDayKind.Closure,
        ["停课"] = CalendarDayKind.Closure, ["休息"] = CalendarDayKind.Closure, ["值班"] = CalendarDayKind.SkeletonDay,
        ["补班"] = CalendarDayKind.MakeUpDay, ["调休上班"] = CalendarDayKind.MakeUpDay, ["上班"] = CalendarDayKind.MakeUpDay,
    };

    public static bool TryParseKind(string? text, out CalendarDayKind kind)
    {
        if (ChineseKindWords.TryGetValue(text?.Trim() ?? "", out kind))
        {
            return true;
        }
        var letters = new string((text ?? "").Where(char.IsAsciiLetter).Select(char.ToLowerInvariant).ToArray());
        return KindWords.TryGetValue(letters, out kind);
    }

    /// <param name="content">The file as uploaded (UTF-8, with or without a byte order mark).</param>
    /// <param name="defaultKind">The kind of a row or event that does not name one.</param>
    /// <param name="today">The school's date: repeating events are expanded from 1 January of its year to two years after it.</param>
    public static CalendarImportFileContent Read(ReadOnlySpan<byte> content, CalendarImportFormat format, CalendarDayKind defaultKind, DateOnly today)
    {
        if (content.Length > MaxBytes)
        {
            return CalendarImportFileContent.Unreadable(L["The file is larger than {0} MB; split it.", MaxBytes / 1024 / 1024]);
        }
        var text = Decode(content);
        if (string.IsNullOrWhiteSpace(text))
        {
            return CalendarImportFileContent.Unreadable(format == CalendarImportFormat.Csv
                ? L["The file is empty. The first line must be the header: {0}.", string.Join(",", CsvColumns)]
                : L["The file is empty; export the calendar as an .ics file."]);
        }
        return format == CalendarImportFormat.Csv ? ReadCsv(text, defaultKind) : ReadICalendar(text, defaultKind, today);
    }

    private static string Decode(ReadOnlySpan<byte> content)
    {
        var bom = content.StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        return Encoding.UTF8.GetString(content[bom..]);
    }

    // ------------------------------------------------------------------------------------------------------------ CSV

    private static CalendarImportFileContent ReadCsv(string text, CalendarDayKind defaultKind)
    {
        var lines = new List<CalendarImportLine>();
        var badRows = new HashSet<int>();
        var previousEnd = 1;
        try
        {
            using var reader = new StringReader(text);
            using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
            {
                PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
                TrimOptions = TrimOptions.Trim,
                DetectDelimiter = true,
                DetectDelimiterValues = [",", ";", "\t"],
                MissingFieldFound = null,
                // Blank lines are read (and passed over below) so that each record starts on the line after the one before.
                IgnoreBlankLines = false,
                BadDataFound = a => badRows.Add(a.Context.Parser?.Row ?? 0),
            });
            if (!csv.Read())
            {
                return CalendarImportFileContent.Unreadable(L["The file is empty. The first line must be the header: {0}.", string.Join(",", CsvColumns)]);
            }
            csv.ReadHeader();
            var header = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToHashSet();
            var missing = new[] { "Name", "From" }.Where(c => !header.Contains(c.ToLowerInvariant())).ToList();
            if (missing.Count > 0)
            {
                return CalendarImportFileContent.Unreadable(
                    L["The header (line 1) has no {0} column; it must be: {1} (Kind and To may be left out).", string.Join(L[" or "], missing), string.Join(",", CsvColumns)]);
            }
            var hasKind = header.Contains("kind");
            var hasTo = header.Contains("to");
            previousEnd = csv.Parser.RawRow;
            while (csv.Read())
            {
                // A quoted name may hold line breaks: a record starts on the line after the previous one ended.
                var line = previousEnd + 1;
                previousEnd = csv.Parser.RawRow;
                if (csv.Parser.Record is { } record && record.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                if (lines.Count >= MaxLines)
                {
                    return CalendarImportFileContent.Unreadable(L["The file has more than {0} rows; split it.", MaxLines]);
                }
                lines.Add(badRows.Contains(csv.Parser.Row)
                    ? new CalendarImportLine(line, L["Line {0}", line], null, null, null, null, "line", L["This line is not valid CSV (check the quotes: a name with a comma goes in \"double quotes\")."])
                    : ReadCsvRow(csv, line, hasKind, hasTo, defaultKind));
            }
        }
        catch (CsvHelperException)
        {
            var line = previousEnd + 1;
            return CalendarImportFileContent.Unreadable(L["Line {0} is not valid CSV (check the quotes); nothing after it can be read.", line]);
        }
        return lines.Count == 0
            ? CalendarImportFileContent.Unreadable(L["The file has a header but no rows."])
            : new CalendarImportFileContent(lines, null);
    }

    private static CalendarImportLine ReadCsvRow(CsvReader csv, int line, bool hasKind, bool hasTo, CalendarDayKind defaultKind)
    {
        string? Field(string name) => csv.GetField(name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var name = Field("name");
        var where = name is null ? L["Line {0}", line] : L["Line {0}, '{1}'", line, Shorten(name)];
        CalendarImportLine Error(string field, string message) => new(line, where, name, null, null, null, field, message);

        var kind = defaultKind;
        if (hasKind && Field("kind") is { } kindText && !TryParseKind(kindText, out kind))
        {
            return Error("kind", L["Kind '{0}' is not one of {1}.", kindText, KindWordsText]);
        }
        if (Field("from") is not { } fromText)
        {
            return Error("from", L["From is empty; give the first day, like 2026-10-01."]);
        }
        if (!TryParseDay(fromText, out var from))
        {
            return Error("from", L["From '{0}' is not a date; write it like 2026-10-01 (year-month-day).", fromText]);
        }
        var to = from;
        if (hasTo && Field("to") is { } toText && !TryParseDay(toText, out to))
        {
            return Error("to", L["To '{0}' is not a date; write it like 2026-10-07 (year-month-day), or leave it empty for one day.", toText]);
        }
        return new CalendarImportLine(line, where, name, kind, from, to);
    }

    private static bool TryParseDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    // ------------------------------------------------------------------------------------------------------ iCalendar

    private sealed record EventBlock(int Line, string Text, IReadOnlyDictionary<string, string> Values);

    private static CalendarImportFileContent ReadICalendar(string text, CalendarDayKind defaultKind, DateOnly today)
    {
        var (blocks, error) = EventBlocks(text);
        if (error is not null)
        {
            return CalendarImportFileContent.Unreadable(error);
        }
        if (blocks.Count == 0)
        {
            return CalendarImportFileContent.Unreadable(L["The calendar has no events (no BEGIN:VEVENT)."]);
        }
        var windowStart = new DateOnly(today.Year, 1, 1);
        var windowEnd = today.AddYears(2);
        var lines = new List<CalendarImportLine>();
        foreach (var block in blocks)
        {
            lines.AddRange(ReadEvent(block, defaultKind, windowStart, windowEnd));
            if (lines.Count > MaxLines)
            {
                return CalendarImportFileContent.Unreadable(L["The calendar has more than {0} events and occurrences; split it.", MaxLines]);
            }
        }
        return new CalendarImportFileContent(lines, null);
    }

    /// <summary>
    /// Each VEVENT's own lines and the file line it starts on. Each event is then read by Ical.Net on its own, so one
    /// broken event is named instead of failing the whole file.
    /// </summary>
    private static (List<EventBlock> Blocks, string? Error) EventBlocks(string text)
    {
        var physical = LineBreaks().Split(text);
        var blocks = new List<EventBlock>();
        var sawCalendar = false;
        StringBuilder? current = null;
        Dictionary<string, string>? values = null;
        var start = 0;
        string? lastName = null;
        for (var i = 0; i < physical.Length; i++)
        {
            var raw = physical[i];
            if (raw.Length > 0 && raw[0] is ' ' or '\t')
            {
                // A folded line continues the one before it (RFC 5545, 3.1).
                current?.Append("\r\n").Append(raw);
                if (values is not null && lastName is not null)
                {
                    values[lastName] += raw[1..];
                }
                continue;
            }
            var line = raw.Trim();
            if (line.Equals("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase))
            {
                sawCalendar = true;
                continue;
            }
            if (!sawCalendar && line.Length > 0)
            {
                return ([], L["Line {0} is not iCalendar: an .ics file starts with BEGIN:VCALENDAR.", i + 1]);
            }
            if (line.Equals("BEGIN:VEVENT", StringComparison.OrdinalIgnoreCase))
            {
                if (current is not null)
                {
                    return ([], L["The event starting on line {0} has no END:VEVENT before the next one (line {1}).", start, i + 1]);
                }
                current = new StringBuilder(line);
                values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                start = i + 1;
                lastName = null;
                continue;
            }
            if (current is null)
            {
                continue;
            }
            current.Append("\r\n").Append(raw);
            if (line.Equals("END:VEVENT", StringComparison.OrdinalIgnoreCase))
            {
                blocks.Add(new EventBlock(start, current.ToString(), values!));
                current = null;
                values = null;
                continue;
            }
            var colon = line.IndexOf(':');
            var name = (colon < 0 ? line : line[..colon]).Split(';')[0];
            // The first of each property: what the event's own messages quote (and what its folded lines continue).
            lastName = values!.TryAdd(name, colon < 0 ? "" : line[(colon + 1)..]) ? name : null;
        }
        if (current is not null)
        {
            return ([], L["The event starting on line {0} has no END:VEVENT.", start]);
        }
        return sawCalendar ? (blocks, null) : ([], L["This is not an iCalendar file: an .ics file starts with BEGIN:VCALENDAR."]);
    }

    private static IEnumerable<CalendarImportLine> ReadEvent(EventBlock block, CalendarDayKind defaultKind, DateOnly windowStart, DateOnly windowEnd)
    {
        var summary = block.Values.TryGetValue("SUMMARY", out var s) ? Unescape(s).Trim() : null;
        var name = string.IsNullOrWhiteSpace(summary) ? null : summary;
        var where = name is null ? L["Line {0}, event", block.Line] : L["Line {0}, '{1}'", block.Line, Shorten(name)];
        CalendarImportLine Error(string field, string message) => new(block.Line, where, name, null, null, null, field, message);
        CalendarImportLine Skip(string message) => new(block.Line, where, name, null, null, null, Skip: message);

        // Dates are checked here first: Ical.Net throws on a day that does not exist (20250230), for the whole event.
        foreach (var field in new[] { "DTSTART", "DTEND" })
        {
            if (block.Values.TryGetValue(field, out var value) && DayPart().Match(value.Trim()) is { Success: true } m
                && !DateOnly.TryParseExact(m.Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                return [Error(field.ToLowerInvariant(), L["{0} '{1}' is not a real date (year, month, day: 20261001).", field, value.Trim()])];
            }
        }

        CalendarEvent? e;
        try
        {
            e = Ical.Net.Calendar.Load("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + block.Text + "\r\nEND:VCALENDAR\r\n")?.Events.FirstOrDefault();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return [Error("event", L["This event cannot be read as iCalendar; check its lines."])];
        }
        if (e is null)
        {
            return [Error("event", L["This event cannot be read as iCalendar; check its lines."])];
        }
        if (string.Equals(e.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase))
        {
            return [Skip(L["Cancelled (STATUS:CANCELLED); left out."])];
        }
        // Google's holiday calendars mark days that are not days off ("Valentine's Day", "Daylight Saving Time starts").
        if (e.Description?.TrimStart().StartsWith("Observance", StringComparison.OrdinalIgnoreCase) == true)
        {
            return [Skip(L["An observance, not a day off (its description says 'Observance'); left out."])];
        }
        if (name is null)
        {
            return [Error("summary", L["This event has no SUMMARY: its name is what the calendar shows."])];
        }
        if (e.DtStart is not { } start)
        {
            return [Error("dtstart", L["This event has no DTSTART (its first day)."])];
        }
        if (start.HasTime && !OutlookAllDay(e))
        {
            return [Error("dtstart", L["It starts at a time of day ({0}); only all-day events (DTSTART;VALUE=DATE:20261001) become holidays.", $"{start.Time:HH\\:mm}"])];
        }
        int days;
        if (e.DtEnd is { } end)
        {
            if (end.HasTime && !start.HasTime)
            {
                return [Error("dtend", L["DTEND has a time of day but DTSTART is a whole day; give DTEND as a date (DTEND;VALUE=DATE)."])];
            }
            // DTEND is the day after the last one (RFC 5545, 3.6.1); a DTEND equal to DTSTART is read as one day.
            days = Math.Max(1, end.Date.DayNumber - start.Date.DayNumber);
            if (end.Date < start.Date)
            {
                return [Error("dtend", L["DTEND ({0}) is before DTSTART ({1}).", Iso(end.Date), Iso(start.Date)])];
            }
        }
        else if (e.Duration is { } duration)
        {
            var total = (long)(duration.Weeks ?? 0) * 7 + (duration.Days ?? 0);
            if (total < 0)
            {
                return [Error("duration", L["DURATION is negative; an event lasts at least one day."])];
            }
            if (total > CalendarPeriod.MaxDays)
            {
                return [Error("duration", L["It lasts {0} days; one entry covers at most {1}.", total, CalendarPeriod.MaxDays])];
            }
            days = (int)Math.Max(1, total);
        }
        else
        {
            days = 1;
        }
        if (days > CalendarPeriod.MaxDays)
        {
            return [Error("dtend", L["It lasts {0} days; one entry covers at most {1} (check the year).", days, CalendarPeriod.MaxDays])];
        }
        var kind = defaultKind;
        foreach (var category in e.Categories ?? [])
        {
            if (TryParseKind(category, out var named))
            {
                kind = named;
                break;
            }
        }
        var repeats = e.RecurrenceRule is not null || e.RecurrenceDates.GetAllDates().Any() || e.RecurrenceDates.GetAllPeriods().Any();
        if (!repeats)
        {
            var from = start.Date;
            if (from.Year is < 2000 or > 2099)
            {
                return [Error("dtstart", L["{0} is outside 2000–2099; check the year.", Iso(from)])];
            }
            return [new CalendarImportLine(block.Line, where, name, kind, from, from.AddDays(days - 1))];
        }
        return Occurrences(e, block.Line, where, name, kind, days, windowStart, windowEnd, Error, Skip);
    }

    private static IEnumerable<CalendarImportLine> Occurrences(CalendarEvent e, int line, string where, string name, CalendarDayKind kind, int days,
        DateOnly windowStart, DateOnly windowEnd, Func<string, string, CalendarImportLine> error, Func<string, CalendarImportLine> skip)
    {
        if (e.RecurrenceRule is { } rule && rule.Frequency < Ical.Net.FrequencyType.Daily)
        {
            return [error("rrule", L["It repeats {0}; a holiday repeats at most daily.", rule.Frequency.ToString().ToLowerInvariant()])];
        }
        List<DateOnly> starts;
        try
        {
            starts = e.GetOccurrences(new CalDateTime(windowStart), new EvaluationOptions { MaxUnmatchedIncrementsLimit = 1000 })
                .Select(o => o.Period.StartTime.Date)
                .TakeWhile(d => d < windowEnd)
                .Take(MaxOccurrences + 1)
                .ToList();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return [error("rrule", L["Its repeat rule (RRULE) gives no days that can be worked out; check it."])];
        }
        if (starts.Count > MaxOccurrences)
        {
            return [error("rrule", L["It repeats more than {0} times between {1} and {2}; enter a break as one event from its first to its last day.", MaxOccurrences, Iso(windowStart), Iso(windowEnd)])];
        }
        if (starts.Count == 0)
        {
            return [skip(L["It repeats, but not between {0} and {1} (repeating events are imported for this year and the next two); left out.", Iso(windowStart), Iso(windowEnd)])];
        }
        return starts.Select(from => from.Year is < 2000 or > 2099
            ? new CalendarImportLine(line, L["{0} on {1}", where, Iso(from)], name, null, null, null, "dtstart", L["{0} is outside 2000–2099.", Iso(from)])
            : new CalendarImportLine(line, L["{0} on {1} (repeats)", where, Iso(from)], name, kind, from, from.AddDays(days - 1)));
    }

    /// <summary>Outlook writes some all-day events as local midnight to midnight with its own all-day flag.</summary>
    private static bool OutlookAllDay(CalendarEvent e) =>
        string.Equals(e.Properties.Get<string>("X-MICROSOFT-CDO-ALLDAYEVENT"), "TRUE", StringComparison.OrdinalIgnoreCase)
        && e.DtStart?.Time == TimeOnly.MinValue && (e.DtEnd is null || e.DtEnd.Time == TimeOnly.MinValue);

    private static string Unescape(string text) =>
        text.Replace("\\n", " ", StringComparison.OrdinalIgnoreCase).Replace("\\,", ",", StringComparison.Ordinal)
            .Replace("\\;", ";", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length > 60 ? TextCut.Head(text, 60) + "…" : text;

    [GeneratedRegex("\r\n|\n|\r")]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"^(\d{8})(T\d{6}Z?)?$")]
    private static partial Regex DayPart();
}
