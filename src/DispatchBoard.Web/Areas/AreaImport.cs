using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Areas.AreasText;

namespace DispatchBoard.Web.Areas;

/// <summary>A problem in one row; <see cref="Row"/> counts the header as row 1, as a spreadsheet does.</summary>
public sealed record ImportRowError(int Row, string? Code, string Message)
{
    public override string ToString() => Code is null ? L["Row {0}: {1}", Row, Message] : L["Row {0} ({1}): {2}", Row, Code, Message];
}

public sealed record ImportResult(int Created, int Updated, IReadOnlyList<ImportRowError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Imports areas from CSV (code, name, parentCode, kind, ownerEmail, backupEmail; optional level and teachingRoom
/// columns: teachingRoom is yes/no; left out or empty, an existing area keeps its flag and a new classroom room is one).
/// All or nothing: every row is checked first, and a file with any bad row imports nothing and lists every problem.
/// Existing codes are updated; parents may come later in the file than their children.
/// </summary>
public sealed class AreaImport(IDbContextFactory<DispatchDbContext> dbFactory, AreaDirectory directory, Audit.AuditLog audit)
{
    public const long MaxBytes = 1024 * 1024;
    public static readonly string[] Columns = ["code", "name", "parentCode", "kind", "ownerEmail", "backupEmail"];

    /// <summary>The optional column that marks teaching rooms (yes/no).</summary>
    public const string TeachingRoomColumn = "teachingRoom";

    private sealed record Row(int Number, string Code, string Name, string? ParentCode, AreaKind Kind, AreaLevel? Level, int? OwnerId, int? BackupId,
        bool? TeachingRoom = null);

    public async Task<ImportResult> ImportAsync(Stream csv, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return Fail(1, null, L["Only an administrator imports areas."]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The page's roles may be stale (a demoted administrator): the database decides.
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return Fail(1, null, L["Only an administrator imports areas."]);
        }
        var existing = await db.Areas.ToDictionaryAsync(a => a.Code, StringComparer.OrdinalIgnoreCase, ct);
        var staffByEmail = await (from s in db.Staff
                                  join u in db.Users on s.UserId equals u.Id
                                  where s.IsActive && u.Email != null
                                  select new { Email = u.Email!, s.Id }).ToDictionaryAsync(x => x.Email, x => x.Id, StringComparer.OrdinalIgnoreCase, ct);

        var errors = new List<ImportRowError>();
        var rows = new List<Row>();
        try
        {
            using var reader = new StreamReader(csv, detectEncodingFromByteOrderMarks: true);
            using var parser = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
            {
                PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
                TrimOptions = TrimOptions.Trim,
                DetectDelimiter = true,
                BadDataFound = null,
            });
            if (!await parser.ReadAsync())
            {
                return Fail(1, null, L["The file is empty. The first line must be the header: {0}", string.Join(",", Columns)]);
            }
            parser.ReadHeader();
            var header = parser.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToHashSet();
            var missing = Columns.Where(c => !header.Contains(c.ToLowerInvariant())).ToList();
            if (missing.Count > 0)
            {
                return Fail(1, null, L["The header is missing {0}; it must be: {1}.", string.Join(", ", missing), string.Join(",", Columns)]);
            }
            var hasLevel = header.Contains("level");
            var hasTeachingRoom = header.Contains(TeachingRoomColumn.ToLowerInvariant());
            while (await parser.ReadAsync())
            {
                var number = parser.Parser.Row;
                if (parser.Parser.Record is { } record && record.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                var row = ReadRow(parser, number, hasLevel, hasTeachingRoom, staffByEmail, errors);
                if (row is not null)
                {
                    rows.Add(row);
                }
            }
        }
        catch (CsvHelperException ex)
        {
            return Fail(ex.Context?.Parser?.Row ?? 1, null, L["This line is not valid CSV (check the quotes)."]);
        }

        CheckCodesAndParents(rows, existing, errors);
        if (errors.Count > 0)
        {
            return new ImportResult(0, 0, errors.OrderBy(e => e.Row).ToList());
        }
        if (rows.Count == 0)
        {
            return Fail(2, null, L["The file has a header but no areas."]);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var createdCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows.Where(r => !existing.ContainsKey(r.Code)))
        {
            existing[row.Code] = db.Areas.Add(new Area { Code = row.Code, Name = row.Name }).Entity;
            createdCodes.Add(row.Code);
        }
        await db.SaveChangesAsync(ct);
        // Parents before children, so a new area's level can follow from its parent's.
        foreach (var row in ParentsFirst(rows))
        {
            var area = existing[row.Code];
            var parent = row.ParentCode is null ? null : existing[row.ParentCode];
            area.Name = row.Name;
            area.ParentId = parent?.Id;
            area.Kind = row.Kind;
            area.Level = row.Level ?? (createdCodes.Contains(row.Code) ? InferLevel(parent, row.Kind) : area.Level);
            area.OwnerId = row.OwnerId;
            area.BackupId = row.BackupId;
            // Left empty, a new classroom is a teaching room (as in the edit dialog); an existing area keeps its flag.
            area.IsTeachingRoom = row.TeachingRoom
                ?? (createdCodes.Contains(row.Code) ? row.Kind == AreaKind.Classroom && area.Level == AreaLevel.Room : area.IsTeachingRoom);
        }
        // In the import's transaction: the areas and the line saying who imported them are stored together or not at all.
        audit.Stage(db, Audit.AuditEvent.By(actor, Audit.AuditKind.AreaImported, $"{rows.Count} area(s)",
            $"{createdCodes.Count} created, {rows.Count - createdCodes.Count} updated: {string.Join(", ", rows.Select(r => r.Code).Take(50))}{(rows.Count > 50 ? ", …" : "")}"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        directory.Invalidate();
        return new ImportResult(createdCodes.Count, rows.Count - createdCodes.Count, []);
    }

    private static List<Row> ParentsFirst(List<Row> rows)
    {
        var byCode = rows.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);
        var ordered = new List<Row>(rows.Count);
        var placed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Place(Row row)
        {
            if (!placed.Add(row.Code))
            {
                return;
            }
            if (row.ParentCode is not null && byCode.TryGetValue(row.ParentCode, out var parent))
            {
                Place(parent);
            }
            ordered.Add(row);
        }
        rows.ForEach(Place);
        return ordered;
    }

    private static Row? ReadRow(CsvReader parser, int number, bool hasLevel, bool hasTeachingRoom, Dictionary<string, int> staffByEmail, List<ImportRowError> errors)
    {
        string? Field(string name) => parser.GetField(name) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var before = errors.Count;
        var code = AreaService.NormalizeCode(Field("code"));
        void Error(string message) => errors.Add(new ImportRowError(number, code, message));

        if (code is null)
        {
            Error(L["code is empty."]);
        }
        else if (!AreaService.IsValidCode(code))
        {
            Error(L["code '{0}' must be {1}.", code, AreaService.CodeRule]);
        }
        var name = Field("name");
        if (name is null)
        {
            Error(L["name is empty."]);
        }
        else if (name.Length > Area.NameMaxLength)
        {
            Error(L["name is {0} characters; the limit is {1}.", name.Length, Area.NameMaxLength]);
        }
        var kind = AreaKind.General;
        if (Field("kind") is { } kindText && !TryParseKind(kindText, out kind))
        {
            Error(L["kind '{0}' is not one of {1}.", kindText, string.Join(", ", Enum.GetNames<AreaKind>())]);
        }
        AreaLevel? level = null;
        if (hasLevel && Field("level") is { } levelText)
        {
            if (Enum.TryParse<AreaLevel>(levelText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(levelText[0]))
            {
                level = parsed;
            }
            else
            {
                Error(L["level '{0}' is not one of {1}.", levelText, string.Join(", ", Enum.GetNames<AreaLevel>())]);
            }
        }
        bool? teachingRoom = null;
        if (hasTeachingRoom && Field(TeachingRoomColumn) is { } teachingText)
        {
            teachingRoom = teachingText.ToLowerInvariant() switch
            {
                "yes" or "y" or "true" or "1" or "是" => true,
                "no" or "n" or "false" or "0" or "否" => false,
                _ => null,
            };
            if (teachingRoom is null)
            {
                Error(L["{0} '{1}' must be yes or no (or left empty).", TeachingRoomColumn, teachingText]);
            }
        }
        int? Staff(string column)
        {
            if (Field(column) is not { } email)
            {
                return null;
            }
            if (staffByEmail.TryGetValue(email, out var id))
            {
                return id;
            }
            Error(L["{0} '{1}' is not an active staff member.", column, email]);
            return null;
        }
        var owner = Staff("ownerEmail");
        var backup = Staff("backupEmail");
        if (owner is not null && owner == backup)
        {
            Error(L["ownerEmail and backupEmail are the same person; the backup must be someone else."]);
        }
        return errors.Count > before ? null : new Row(number, code!, name!, AreaService.NormalizeCode(Field("parentCode")), kind, level, owner, backup, teachingRoom);
    }

    private static void CheckCodesAndParents(List<Row> rows, Dictionary<string, Area> existing, List<ImportRowError> errors)
    {
        foreach (var duplicate in rows.GroupBy(r => r.Code).Where(g => g.Count() > 1))
        {
            var numbers = duplicate.Select(r => r.Number).ToList();
            foreach (var row in duplicate.Skip(1))
            {
                errors.Add(new ImportRowError(row.Number, row.Code, L["the code also appears on row {0}; each code once.", numbers[0]]));
            }
        }
        var inFile = rows.GroupBy(r => r.Code).ToDictionary(g => g.Key, g => g.First());
        string? ParentOf(string code) => inFile.TryGetValue(code, out var row)
            ? row.ParentCode
            : existing.TryGetValue(code, out var area) && area.ParentId is { } pid ? existing.Values.FirstOrDefault(a => a.Id == pid)?.Code : null;

        foreach (var row in rows)
        {
            if (row.ParentCode is null)
            {
                continue;
            }
            if (!inFile.ContainsKey(row.ParentCode) && !existing.ContainsKey(row.ParentCode))
            {
                errors.Add(new ImportRowError(row.Number, row.Code, L["parentCode '{0}' is neither in the file nor in the school.", row.ParentCode]));
                continue;
            }
            var seen = new HashSet<string> { row.Code };
            for (var p = row.ParentCode; p is not null; p = ParentOf(p))
            {
                if (!seen.Add(p))
                {
                    errors.Add(new ImportRowError(row.Number, row.Code, L["parentCode makes a loop: an area cannot be inside itself."]));
                    break;
                }
            }
        }
    }

    private static AreaLevel InferLevel(Area? parent, AreaKind kind) => parent?.Level switch
    {
        null => AreaLevel.Campus,
        AreaLevel.Campus => kind == AreaKind.Playground ? AreaLevel.Outdoor : AreaLevel.Building,
        AreaLevel.Building => AreaLevel.Floor,
        AreaLevel.Floor or AreaLevel.Room => AreaLevel.Room,
        AreaLevel.Outdoor => AreaLevel.Outdoor,
        _ => AreaLevel.Room,
    };

    private static bool TryParseKind(string text, out AreaKind kind)
    {
        var compact = new string(text.Where(char.IsLetter).ToArray());
        return Enum.TryParse(compact, ignoreCase: true, out kind) && Enum.IsDefined(kind) && compact.Length > 0;
    }

    private static ImportResult Fail(int row, string? code, string message) => new(0, 0, [new ImportRowError(row, code, message)]);
}
