using System.Text.RegularExpressions;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Areas.AreasText;

namespace DispatchBoard.Web.Areas;

/// <param name="IsTeachingRoom">Lessons are taught there; left out, an existing area keeps its flag and a new one is not.</param>
public sealed record AreaInput(string? Code, string? Name, string? ParentCode, AreaLevel Level, AreaKind Kind, int? OwnerId, int? BackupId,
    bool? IsTeachingRoom = null);

/// <summary>The campus tree for administrators: create, rename, move, set owners, retire. Retired areas keep their history.</summary>
public sealed partial class AreaService(IDbContextFactory<DispatchDbContext> dbFactory, AreaDirectory directory, AuditLog audit)
{
    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{0,15}$")]
    private static partial Regex CodePattern();

    public static string? NormalizeCode(string? code) => string.IsNullOrWhiteSpace(code) ? null : code.Trim().ToUpperInvariant();

    public static bool IsValidCode(string? code) => code is not null && CodePattern().IsMatch(code);

    public static string CodeRule => L["1–16 capital letters, digits or dashes (it becomes the QR link /r/CODE)"];

    /// <summary>The names of the people who own or back up an area (someone who has left the staff is marked so).</summary>
    public async Task<IReadOnlyDictionary<int, string>> OwnerNamesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Staff.AsNoTracking()
            .Where(s => db.Areas.Any(a => a.OwnerId == s.Id || a.BackupId == s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.IsActive ? s.DisplayName : L["{0} (left)", s.DisplayName], ct);
    }

    public async Task<ServiceResult<AreaInfo>> SaveAsync(int? areaId, AreaInput input, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return ServiceResult<AreaInfo>.Forbidden(L["Only an administrator changes areas."]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The page's roles may be stale (a demoted administrator): the database decides.
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<AreaInfo>.Forbidden(L["Only an administrator changes areas."]);
        }
        var area = areaId is null ? null : await db.Areas.FirstOrDefaultAsync(a => a.Id == areaId, ct);
        if (areaId is not null && area is null)
        {
            return ServiceResult<AreaInfo>.NotFound(L["There is no area #{0}.", areaId]);
        }

        var errors = new ValidationErrors();
        var code = NormalizeCode(input.Code);
        if (!IsValidCode(code))
        {
            errors.Add("code", L["The code must be {0}.", CodeRule]);
        }
        else if (await db.Areas.AnyAsync(a => a.Code == code && a.Id != areaId, ct))
        {
            errors.Add("code", L["Another area already has the code {0}.", code!]);
        }
        var name = errors.Text("name", L["Name"], input.Name, Area.NameMaxLength, required: true);
        var snapshot = await directory.GetAsync(ct);
        AreaInfo? parent = null;
        if (NormalizeCode(input.ParentCode) is { } parentCode)
        {
            parent = snapshot.ByCode.GetValueOrDefault(parentCode);
            if (parent is null)
            {
                errors.Add("parentCode", L["There is no area with the code {0}.", parentCode]);
            }
            else if (areaId is not null && IsInside(snapshot, parent.Id, areaId.Value))
            {
                errors.Add("parentCode", L["An area cannot move inside itself or one of its own sub-areas."]);
            }
        }
        await CheckStaffAsync(db, input.OwnerId, "ownerId", L["Owner"], errors, ct);
        await CheckStaffAsync(db, input.BackupId, "backupId", L["Backup"], errors, ct);
        if (input.OwnerId is not null && input.OwnerId == input.BackupId)
        {
            errors.Add("backupId", L["The backup must be someone other than the owner."]);
        }
        if (errors.Any)
        {
            return ServiceResult<AreaInfo>.Invalid(errors);
        }

        var created = area is null;
        var before = area is null ? null : Describe(area.Code, area.Name, area.ParentId, area.Level, area.Kind, area.OwnerId, area.BackupId, snapshot)
            + (area.IsTeachingRoom ? ", teaching room" : "");
        area ??= db.Areas.Add(new Area { Code = code!, Name = name! }).Entity;
        area.Code = code!;
        area.Name = name!;
        area.ParentId = parent?.Id;
        area.Level = input.Level;
        area.Kind = input.Kind;
        area.OwnerId = input.OwnerId;
        area.BackupId = input.BackupId;
        area.IsTeachingRoom = input.IsTeachingRoom ?? area.IsTeachingRoom;
        var after = Describe(area.Code, area.Name, area.ParentId, area.Level, area.Kind, area.OwnerId, area.BackupId, snapshot)
            + (area.IsTeachingRoom ? ", teaching room" : "");
        // One save: the area and its audit line are stored together or not at all.
        audit.Stage(db, AuditEvent.By(actor, created ? AuditKind.AreaCreated : AuditKind.AreaEdited, $"Area {code}",
            created ? after : $"{before} → {after}"));
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        return ServiceResult<AreaInfo>.Ok((await directory.GetAsync(ct)).ById[area.Id]);
    }

    public async Task<ServiceResult<AreaInfo>> SetRetiredAsync(int areaId, bool retired, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return ServiceResult<AreaInfo>.Forbidden(L["Only an administrator changes areas."]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The page's roles may be stale (a demoted administrator): the database decides.
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<AreaInfo>.Forbidden(L["Only an administrator changes areas."]);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Areas.Where(a => a.Id == areaId).ExecuteUpdateAsync(s => s.SetProperty(a => a.IsRetired, retired), ct);
        if (changed == 0)
        {
            return ServiceResult<AreaInfo>.NotFound(L["There is no area #{0}.", areaId]);
        }
        var area = await db.Areas.AsNoTracking().Where(a => a.Id == areaId).Select(a => new { a.Code, a.Name }).SingleAsync(ct);
        audit.Stage(db, AuditEvent.By(actor, retired ? AuditKind.AreaRetired : AuditKind.AreaRestored, $"Area {area.Code}", area.Name));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        directory.Invalidate();
        return ServiceResult<AreaInfo>.Ok((await directory.GetAsync(ct)).ById[areaId]);
    }

    private static string Describe(string code, string name, int? parentId, AreaLevel level, AreaKind kind, int? ownerId, int? backupId,
        AreaDirectory.Snapshot snapshot) =>
        $"{code} \"{name}\" in {(parentId is { } p ? snapshot.ById.GetValueOrDefault(p)?.Code ?? $"#{p}" : "(top)")}, {level}, {kind}, owner #{ownerId?.ToString() ?? "-"}, backup #{backupId?.ToString() ?? "-"}";

    private static bool IsInside(AreaDirectory.Snapshot snapshot, int candidateId, int areaId)
    {
        for (int? id = candidateId; id is not null; id = snapshot.ById.GetValueOrDefault(id.Value)?.ParentId)
        {
            if (id == areaId)
            {
                return true;
            }
        }
        return false;
    }

    private static async Task CheckStaffAsync(DispatchDbContext db, int? staffId, string field, string label, ValidationErrors errors, CancellationToken ct)
    {
        if (staffId is not null && !await db.Staff.AnyAsync(s => s.Id == staffId && s.IsActive, ct))
        {
            errors.Add(field, L["{0}: there is no active staff member #{1}.", label, staffId]);
        }
    }
}
