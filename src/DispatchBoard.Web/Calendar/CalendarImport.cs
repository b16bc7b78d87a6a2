using static DispatchBoard.Web.Calendar.CalendarText;

namespace DispatchBoard.Web.Calendar;

/// <param name="Content">The file as uploaded (at most <see cref="CalendarImportFile.MaxBytes"/>).</param>
/// <param name="Kind">The kind of a row or event that does not name one (a CSV Kind cell, an event's CATEGORIES).</param>
/// <param name="DryRun">Only say what the import would do (the preview).</param>
public sealed record CalendarImportRequest(ReadOnlyMemory<byte> Content, CalendarImportFormat Format, CalendarDayKind Kind = CalendarDayKind.Closure, bool DryRun = false);

public enum CalendarImportStatus
{
    /// <summary>Added by the import.</summary>
    Add,

    /// <summary>The calendar has it already (same name and first day, or its days are already of that kind): skipped.</summary>
    AlreadyThere,

    /// <summary>Left out on purpose (an observance, a cancelled event, a repeat outside the window).</summary>
    Skipped,

    /// <summary>Wrong: the whole file is refused until it is fixed.</summary>
    Error,
}

/// <summary>What the import does with one row or event; <see cref="Field"/> names what is wrong or why it is skipped.</summary>
public sealed record CalendarImportRow(int Line, string Where, string? Name, CalendarDayKind? Kind, DateOnly? From, DateOnly? To,
    CalendarImportStatus Status, string? Field = null, string? Message = null)
{
    public override string ToString() => Field is null
        ? $"{Where}: {Message ?? Status.ToString()}"
        : $"{Where}, {Field}: {Message}";
}

public sealed record CalendarImportResult(IReadOnlyList<CalendarImportRow> Rows, bool Imported, bool DryRun = false)
{
    public int Added => Rows.Count(r => r.Status == CalendarImportStatus.Add);
    public int AlreadyThere => Rows.Count(r => r.Status == CalendarImportStatus.AlreadyThere);
    public int Skipped => Rows.Count(r => r.Status == CalendarImportStatus.Skipped);
    public int Errors => Rows.Count(r => r.Status == CalendarImportStatus.Error);
    public bool CanImport => Errors == 0;

    /// <summary>The errors as problem details' field errors: "line 4.from" → the message naming line and field.</summary>
    public Dictionary<string, string[]> FieldErrors() => Rows.Where(r => r.Status == CalendarImportStatus.Error)
        .GroupBy(r => $"line {r.Line}.{r.Field}")
        .ToDictionary(g => g.Key, g => g.Select(r => r.ToString()).ToArray(), StringComparer.Ordinal);
}

/// <summary>
/// Decides each line of an import against the calendar as stored, with <see cref="CalendarPeriods.AddAsync"/>'s rules:
/// each entry on its own (<see cref="CalendarPeriods.FieldProblems"/>), then one meaning per day (no overlaps with the
/// calendar nor inside the file). Pure.
/// </summary>
public static class CalendarImportPlan
{
    public static List<CalendarImportRow> Decide(IReadOnlyList<CalendarImportLine> lines, IReadOnlyList<CalendarPeriod> existing, CalendarImportFormat format)
    {
        string FieldName(string field) => format == CalendarImportFormat.Csv ? field : field switch
        {
            "name" => "summary",
            "from" => "dtstart",
            "to" => "dtend",
            "kind" => "categories",
            _ => field,
        };

        var rows = new List<CalendarImportRow>(lines.Count);
        var candidates = new List<int>();
        foreach (var line in lines)
        {
            if (line.Error is not null)
            {
                rows.Add(Row(line, CalendarImportStatus.Error, line.Field, line.Error));
                continue;
            }
            if (line.Skip is not null || line.Kind is null || line.From is null || line.To is null)
            {
                rows.Add(Row(line, CalendarImportStatus.Skipped, null, line.Skip));
                continue;
            }
            var errors = new ValidationErrors();
            var name = errors.Text("name", L["Name"], line.Name, CalendarPeriod.NameMaxLength, required: true);
            var problem = errors.Any
                ? ("name", errors.ToDictionary()["name"][0])
                : CalendarPeriods.FieldProblems(name, line.Kind.Value, line.From.Value, line.To.Value).FirstOrDefault();
            if (problem.Item1 is not null)
            {
                rows.Add(Row(line, CalendarImportStatus.Error, FieldName(problem.Item1), problem.Item2));
                continue;
            }
            var entry = line with { Name = name };
            if (existing.FirstOrDefault(e => e.From == entry.From && string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)) is { } same)
            {
                var message = same.To != entry.To || same.Kind != entry.Kind
                    ? L["Already there ({0}, {1}: remove it first to change it); skipped.", StoredAs(same.Kind), CalendarPeriods.Days(same.From, same.To)]
                    : L["Already there; skipped."];
                rows.Add(Row(entry, CalendarImportStatus.AlreadyThere, null, message));
                continue;
            }
            rows.Add(Row(entry, CalendarImportStatus.Add, null, null));
            candidates.Add(rows.Count - 1);
        }

        // Same name and first day twice in the file: the first counts.
        foreach (var group in candidates.GroupBy(i => (rows[i].Name!.ToUpperInvariant(), rows[i].From)).Where(g => g.Count() > 1))
        {
            var first = rows[group.First()];
            foreach (var i in group.Skip(1))
            {
                rows[i] = rows[i] with { Status = CalendarImportStatus.AlreadyThere, Message = L["Also on line {0}; skipped.", first.Line] };
            }
        }
        candidates.RemoveAll(i => rows[i].Status != CalendarImportStatus.Add);

        // A day already of that kind (a public holiday inside a break, a feed listing each day of a golden week next to
        // the week itself) changes nothing: skipped, naming the entry that covers it.
        foreach (var i in candidates)
        {
            var row = rows[i];
            if (existing.FirstOrDefault(e => e.Kind == row.Kind && e.From <= row.From && row.To <= e.To) is { } stored)
            {
                rows[i] = row with { Status = CalendarImportStatus.AlreadyThere, Message = L["Inside '{0}' ({1}), {2}; skipped.", stored.Name, CalendarPeriods.Days(stored.From, stored.To), Already(stored.Kind)] };
                continue;
            }
            var cover = candidates.Where(j => j != i && Covers(rows[j], row, j < i)).Select(j => rows[j]).FirstOrDefault();
            if (cover is not null)
            {
                rows[i] = row with { Status = CalendarImportStatus.AlreadyThere, Message = L["Inside '{0}' on line {1}; skipped.", cover.Name, cover.Line] };
            }
        }
        candidates.RemoveAll(i => rows[i].Status != CalendarImportStatus.Add);

        // One meaning per day, as AddAsync: an overlap with the calendar or with an earlier row is a mistake to fix first.
        for (var k = 0; k < candidates.Count; k++)
        {
            var i = candidates[k];
            var row = rows[i];
            if (existing.FirstOrDefault(e => e.From <= row.To && row.From <= e.To) is { } clash)
            {
                rows[i] = row with
                {
                    Status = CalendarImportStatus.Error,
                    Field = FieldName("from"),
                    Message = L["{0} overlaps '{1}' ({2}) already in the calendar; change or remove one of them.", CalendarPeriods.Days(row.From!.Value, row.To!.Value), clash.Name, CalendarPeriods.Days(clash.From, clash.To)],
                };
                continue;
            }
            if (candidates.Take(k).Select(j => rows[j]).FirstOrDefault(o => o.Status == CalendarImportStatus.Add && o.From <= row.To && row.From <= o.To) is { } earlier)
            {
                rows[i] = row with
                {
                    Status = CalendarImportStatus.Error,
                    Field = FieldName("from"),
                    Message = L["{0} overlaps '{1}' on line {2} ({3}); one meaning per day.", CalendarPeriods.Days(row.From!.Value, row.To!.Value), earlier.Name, earlier.Line, CalendarPeriods.Days(earlier.From!.Value, earlier.To!.Value)],
                };
            }
        }
        return rows;
    }

    /// <summary>
    /// Whether <paramref name="outer"/> holds every day of <paramref name="inner"/> with the same kind; between two rows
    /// with the same days, the earlier one holds the later (so exactly one of them is added).
    /// </summary>
    private static bool Covers(CalendarImportRow outer, CalendarImportRow inner, bool outerIsEarlier) =>
        outer.Kind == inner.Kind && outer.From <= inner.From && inner.To <= outer.To
        && (outer.From != inner.From || outer.To != inner.To || outerIsEarlier);

    private static CalendarImportRow Row(CalendarImportLine line, CalendarImportStatus status, string? field, string? message) =>
        new(line.Line, line.Where, line.Name, line.Kind, line.From, line.To, status, field, message);

    // Whole phrases, each a text of its own: "closed" alone would clash with the calendar page's "Closed".
    private static string StoredAs(CalendarDayKind kind) => kind switch
    {
        CalendarDayKind.Closure => L["stored as closed"],
        CalendarDayKind.SkeletonDay => L["stored as a skeleton day"],
        _ => L["stored as a make-up day"],
    };

    private static string Already(CalendarDayKind kind) => kind switch
    {
        CalendarDayKind.Closure => L["already closed"],
        CalendarDayKind.SkeletonDay => L["already a skeleton day"],
        _ => L["already a make-up day"],
    };
}
