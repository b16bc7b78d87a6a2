using System.Text;
using DispatchBoard.Web.Calendar;

namespace DispatchBoard.Tests.WorkingTime;

/// <summary>Reading a school calendar from CSV and from .ics (issue 11): what each row or event asks for, or what is wrong with it.</summary>
public sealed class CalendarImportFileTests
{
    // The school's date the tests read on: repeating events are expanded from 2026-01-01 to 2028-11-24.
    private static readonly DateOnly Today = new(2026, 11, 24);

    private static CalendarImportFileContent Csv(string text, CalendarDayKind kind = CalendarDayKind.Closure) =>
        CalendarImportFile.Read(Encoding.UTF8.GetBytes(text), CalendarImportFormat.Csv, kind, Today);

    private static CalendarImportFileContent Ics(string text, CalendarDayKind kind = CalendarDayKind.Closure) =>
        CalendarImportFile.Read(Encoding.UTF8.GetBytes(text), CalendarImportFormat.ICalendar, kind, Today);

    private static string Describe(CalendarImportLine l) => l.Error is not null
        ? $"{l.Line} {l.Field}: {l.Error}"
        : l.Skip is not null ? $"{l.Line} skip: {l.Skip}" : $"{l.Line} {l.Name}|{l.Kind}|{l.From:yyyy-MM-dd}|{l.To:yyyy-MM-dd}";

    // ---------------------------------------------------------------------------------------------------------- CSV

    [Theory]
    [InlineData("Name,Kind,From,To\nNational Day,Closure,2026-10-01,2026-10-07\n", "2 National Day|Closure|2026-10-01|2026-10-07")]
    [InlineData("\uFEFFName,Kind,From,To\r\nNational Day,holiday,2026-10-01,2026-10-07\r\n", "2 National Day|Closure|2026-10-01|2026-10-07")]
    [InlineData("NAME,kind,FROM, to \r\nOpen day,skeleton,2026-12-05,\r\n", "2 Open day|SkeletonDay|2026-12-05|2026-12-05")]
    [InlineData("Name,From\nSports day,2026-12-04\n", "2 Sports day|Closure|2026-12-04|2026-12-04")]
    [InlineData("Name,Kind,From,To\n\"Winter break, all staff off\",Closure,2027-01-23,2027-02-21\n", "2 Winter break, all staff off|Closure|2027-01-23|2027-02-21")]
    [InlineData("Name,Kind,From,To\n国庆节放假,放假,2026-10-01,2026-10-07\n", "2 国庆节放假|Closure|2026-10-01|2026-10-07")]
    [InlineData("Name,Kind,From,To\n国庆节调休,补班,2026-09-27,\n", "2 国庆节调休|MakeUpDay|2026-09-27|2026-09-27")]
    [InlineData("Name,Kind,From,To\n国庆节,庆祝,2026-10-01,\n", "2 kind: Kind '庆祝' is not one of")]
    [InlineData("Name,Kind,From,To\n国庆节（放假）,Holiday,2026-10-01,2026-10-07\n", "2 国庆节（放假）|Closure|2026-10-01|2026-10-07")]
    [InlineData("Name,Kind,From,To\nMake-up Saturday,Make-up,2027-02-20,\n", "2 Make-up Saturday|MakeUpDay|2027-02-20|2027-02-20")]
    [InlineData("Name,Kind,From,To\nMake-up Saturday,MAKE UP DAY,2027-02-20,\n", "2 Make-up Saturday|MakeUpDay|2027-02-20|2027-02-20")]
    [InlineData("Name;Kind;From;To\nLabour Day;holiday;2026-05-01;2026-05-05\n", "2 Labour Day|Closure|2026-05-01|2026-05-05")]
    [InlineData("Name,Kind,From,To\nBreak,Closure,2026-13-01,\n", "2 from: From '2026-13-01' is not a date")]
    [InlineData("Name,Kind,From,To\nBreak,Closure,2026/10/01,\n", "2 from: From '2026/10/01' is not a date")]
    [InlineData("Name,Kind,From,To\nBreak,Closure,1/10/2026,\n", "2 from: From '1/10/2026' is not a date")]
    [InlineData("Name,Kind,From,To\nBreak,Closure,2026-02-30,\n", "2 from: From '2026-02-30' is not a date")]
    [InlineData("Name,Kind,From,To\nBreak,Closure,2026-10-01,next week\n", "2 to: To 'next week' is not a date")]
    [InlineData("Name,Kind,From,To\nBreak,Closure,,\n", "2 from: From is empty")]
    [InlineData("Name,Kind,From,To\nBreak,Party,2026-10-01,\n", "2 kind: Kind 'Party' is not one of")]
    public void ACsvRow_IsReadAsAnEntry_OrNamesItsLineAndField(string csv, string expected)
    {
        var content = Csv(csv);

        Assert.Null(content.FileError);
        Assert.StartsWith(expected, Describe(Assert.Single(content.Lines)));
    }

    [Fact]
    public void AQuotedNameWithALineBreak_KeepsTheLineNumbersOfTheRowsAfterIt()
    {
        var content = Csv("Name,Kind,From,To\r\n\"Winter break\r\n(all staff)\",Closure,2027-01-23,2027-02-21\r\n\r\nBreak,Closure,2027-13-01,\r\n");

        Assert.Equal(["2 Winter break\r\n(all staff)|Closure|2027-01-23|2027-02-21", "5 from: From '2027-13-01' is not a date; write it like 2026-10-01 (year-month-day)."],
            content.Lines.Select(Describe));
    }

    [Fact]
    public void AnEmptyKindCell_TakesTheKindChosenForTheImport()
    {
        var content = Csv("Name,Kind,From,To\nOpen day,,2026-12-05,\n", CalendarDayKind.SkeletonDay);

        Assert.Equal(CalendarDayKind.SkeletonDay, Assert.Single(content.Lines).Kind);
    }

    [Theory]
    [InlineData("", "The file is empty")]
    [InlineData("\uFEFF", "The file is empty")]
    [InlineData("Name,Kind,From,To\n", "a header but no rows")]
    [InlineData("Title,Kind,Start\nBreak,Closure,2026-10-01\n", "has no Name or From column")]
    [InlineData("National Day,Closure,2026-10-01,2026-10-07\n", "has no Name or From column")]
    public void ACsvFileThatCannotBeRead_IsRefusedAsAWhole(string csv, string message)
    {
        var content = Csv(csv);

        Assert.Contains(message, content.FileError);
        Assert.Empty(content.Lines);
    }

    [Fact]
    public void AnUnbalancedQuote_NamesItsLine()
    {
        var content = Csv("Name,Kind,From,To\nBreak,Closure,2026-10-01,\n\n\"Open day,skeleton,2026-12-05,\n");

        Assert.Null(content.FileError);
        Assert.StartsWith("4 line: This line is not valid CSV", Describe(content.Lines[^1]));
    }

    // ------------------------------------------------------------------------------------------------------ iCalendar

    private static string Calendar(params string[] events) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" + string.Concat(events.Select(e => "BEGIN:VEVENT\r\n" + e + "END:VEVENT\r\n")) + "END:VCALENDAR\r\n";

    private static string Event(string summary, string start, string? end = null, string extra = "") =>
        $"UID:{Guid.NewGuid()}\r\nDTSTAMP:20261124T020000Z\r\nDTSTART;VALUE=DATE:{start}\r\n" + (end is null ? "" : $"DTEND;VALUE=DATE:{end}\r\n") + $"SUMMARY:{summary}\r\n" + extra;

    [Theory]
    // DTEND is the day after the last one (RFC 5545): 1-8 October is the first to the seventh.
    [InlineData("National Day", "20261001", "20261008", "", "National Day|Closure|2026-10-01|2026-10-07")]
    [InlineData("Sports day", "20261204", "20261205", "", "Sports day|Closure|2026-12-04|2026-12-04")]
    [InlineData("Sports day", "20261204", null, "", "Sports day|Closure|2026-12-04|2026-12-04")]
    [InlineData("Sports day", "20261204", "20261204", "", "Sports day|Closure|2026-12-04|2026-12-04")]
    [InlineData("Inset days", "20261204", null, "DURATION:P3D\r\n", "Inset days|Closure|2026-12-04|2026-12-06")]
    [InlineData("Winter break\\, all staff off", "20270123", "20270222", "", "Winter break, all staff off|Closure|2027-01-23|2027-02-21")]
    [InlineData("国庆节", "20261001", "20261008", "", "国庆节|Closure|2026-10-01|2026-10-07")]
    [InlineData("Open day", "20261205", null, "CATEGORIES:School,Skeleton day\r\n", "Open day|SkeletonDay|2026-12-05|2026-12-05")]
    [InlineData("Make-up", "20270220", null, "CATEGORIES:Make-up\r\n", "Make-up|MakeUpDay|2027-02-20|2027-02-20")]
    [InlineData("Festival", "20261001", null, "CATEGORIES:Holiday\r\n", "Festival|Closure|2026-10-01|2026-10-01")]
    [InlineData("Festival", "20261001", null, "CATEGORIES:Blue category\r\n", "Festival|Closure|2026-10-01|2026-10-01")]
    [InlineData("Meeting", "20261001", null, "", "Meeting|Closure")]
    public void AnAllDayEvent_IsReadAsAnEntry(string summary, string start, string? end, string extra, string expected)
    {
        var content = Ics(Calendar(Event(summary, start, end, extra)));

        Assert.Null(content.FileError);
        var line = Assert.Single(content.Lines);
        Assert.Equal(4, line.Line);
        Assert.StartsWith("4 " + expected, Describe(line));
    }

    [Theory]
    [InlineData("DTSTART:20261001T090000Z\r\nDTEND:20261001T100000Z\r\n", "dtstart: It starts at a time of day (09:00)")]
    [InlineData("DTSTART;TZID=Asia/Shanghai:20261001T083000\r\n", "dtstart: It starts at a time of day (08:30)")]
    [InlineData("DTSTART;VALUE=DATE:19991231\r\n", "dtstart: 1999-12-31 is outside 2000–2099")]
    [InlineData("DTSTART;VALUE=DATE:21000101\r\n", "dtstart: 2100-01-01 is outside 2000–2099")]
    [InlineData("DTSTART;VALUE=DATE:20260230\r\n", "dtstart: DTSTART '20260230' is not a real date")]
    [InlineData("DTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261399\r\n", "dtend: DTEND '20261399' is not a real date")]
    [InlineData("DTSTART;VALUE=DATE:20261008\r\nDTEND;VALUE=DATE:20261001\r\n", "dtend: DTEND (2026-10-01) is before DTSTART (2026-10-08)")]
    [InlineData("DTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20270101\r\n", "dtend: It lasts 365 days")]
    [InlineData("DTSTART;VALUE=DATE:20261001\r\nRRULE:FREQ=HOURLY\r\n", "rrule: It repeats hourly")]
    [InlineData("DTSTART;VALUE=DATE:20200101\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\r\n", "rrule: ")]
    [InlineData("DTSTART;VALUE=DATE:20261001\r\nRRULE:FREQ=DAILY\r\n", "rrule: It repeats more than 60 times")]
    public void AnEventThatCannotBeAnEntry_NamesItsLineAndField(string dates, string expected)
    {
        var content = Ics(Calendar($"UID:x\r\nSUMMARY:Holiday\r\n{dates}"));

        Assert.Null(content.FileError);
        var line = Assert.Single(content.Lines);
        Assert.Equal("Line 4, 'Holiday'", line.Where);
        Assert.StartsWith("4 " + expected, Describe(line));
    }

    [Fact]
    public void AnEventWithoutASummary_IsNamedByItsLine()
    {
        var line = Assert.Single(Ics(Calendar("UID:x\r\nDTSTART;VALUE=DATE:20261001\r\n")).Lines);

        Assert.Equal("summary", line.Field);
        Assert.Equal("Line 4, event", line.Where);
    }

    [Fact]
    public void AYearlyEvent_IsExpandedFromThisYearToTwoYearsAhead_EachOccurrenceAnEntry()
    {
        var content = Ics(Calendar(Event("Christmas Day", "20201225", "20201226", "RRULE:FREQ=YEARLY\r\n"),
            Event("Boxing Day", "20201226", "20201227", "RRULE:FREQ=YEARLY\r\nEXDATE;VALUE=DATE:20271226\r\n")));

        Assert.Equal(["4 Christmas Day|Closure|2026-12-25|2026-12-25", "4 Christmas Day|Closure|2027-12-25|2027-12-25",
            "12 Boxing Day|Closure|2026-12-26|2026-12-26"], content.Lines.Select(Describe));
        Assert.Equal("Line 4, 'Christmas Day' on 2027-12-25 (repeats)", content.Lines[1].Where);
    }

    [Fact]
    public void ARepeatEndedYearsAgo_IsLeftOutWithAReason()
    {
        var line = Assert.Single(Ics(Calendar(Event("Old fair", "20100501", null, "RRULE:FREQ=YEARLY;COUNT=3\r\n"))).Lines);

        Assert.Contains("not between 2026-01-01 and 2028-11-24", line.Skip);
    }

    [Fact]
    public void AnOutlookAllDayEvent_MidnightToMidnightLocal_IsAWholeDay()
    {
        var content = Ics(Calendar("UID:x\r\nSUMMARY:Founders' Day\r\nDTSTART;TZID=China Standard Time:20261218T000000\r\nDTEND;TZID=China Standard Time:20261219T000000\r\nX-MICROSOFT-CDO-ALLDAYEVENT:TRUE\r\n"));

        Assert.Equal("4 Founders' Day|Closure|2026-12-18|2026-12-18", Describe(Assert.Single(content.Lines)));
    }

    [Fact]
    public void OneBrokenEvent_IsNamed_AndTheOthersAreStillRead()
    {
        var content = Ics(Calendar(Event("Good", "20261001"), "UID:y\r\nSUMMARY:Bad\r\nDTSTART;VALUE=DATE:20261301\r\n", Event("Also good", "20261002")));

        Assert.Equal(["4 Good|Closure|2026-10-01|2026-10-01", "10 dtstart: DTSTART '20261301' is not a real date (year, month, day: 20261001).",
            "15 Also good|Closure|2026-10-02|2026-10-02"], content.Lines.Select(Describe));
    }

    [Theory]
    [InlineData("Name,From\nBreak,2026-10-01\n", "not iCalendar")]
    [InlineData("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no events")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART;VALUE=DATE:20261001\r\n", "The event starting on line 2 has no END:VEVENT")]
    [InlineData("", "The file is empty")]
    public void AFileThatIsNotACalendar_IsRefusedAsAWhole(string text, string message)
    {
        var content = Ics(text);

        Assert.Contains(message, content.FileError);
    }

    [Fact]
    public void AGoogleHolidayCalendarExport_GivesEachPublicHoliday_AndLeavesObservancesOut()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Calendars", "holidays-china-google.ics"));

        var content = CalendarImportFile.Read(bytes, CalendarImportFile.Guess("basic.ics", bytes), CalendarDayKind.Closure, Today);

        Assert.Null(content.FileError);
        Assert.Equal(28, content.Lines.Count);
        Assert.Equal(8, content.Lines.Count(l => l.Skip is not null && l.Skip.Contains("observance", StringComparison.Ordinal)));
        Assert.DoesNotContain(content.Lines, l => l.Error is not null);
        var goldenWeek = Assert.Single(content.Lines, l => l.Name == "Spring Festival Golden Week holiday");
        Assert.Equal((new DateOnly(2026, 2, 18), new DateOnly(2026, 2, 23)), (goldenWeek.From!.Value, goldenWeek.To!.Value));
        Assert.Equal(6, content.Lines.Count(l => l.Name == "National Day Golden Week holiday" && l.Kind == CalendarDayKind.Closure));
    }

    [Theory]
    [InlineData("holidays.ics", "Name,From", CalendarImportFormat.ICalendar)]
    [InlineData("holidays.csv", "BEGIN:VCALENDAR", CalendarImportFormat.Csv)]
    [InlineData("export", "\uFEFFBEGIN:VCALENDAR\r\n", CalendarImportFormat.ICalendar)]
    [InlineData("export", "Name,From", CalendarImportFormat.Csv)]
    public void TheFormat_IsTheFileNamesOrElseTheContents(string name, string start, CalendarImportFormat expected) =>
        Assert.Equal(expected, CalendarImportFile.Guess(name, Encoding.UTF8.GetBytes(start)));
}
