using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Inspections.InspectionsText;

namespace DispatchBoard.Web.Inspections;

/// <summary>The administrator's safety checklist per area kind. Changes apply to rounds created from then on.</summary>
public sealed class ChecklistService(IDbContextFactory<DispatchDbContext> dbFactory, Audit.AuditLog audit)
{
    public const int MaxLines = 30;

    public async Task<IReadOnlyDictionary<AreaKind, IReadOnlyList<string>>> AllAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ChecklistItems.AsNoTracking().OrderBy(i => i.SortOrder).ToListAsync(ct);
        return Enum.GetValues<AreaKind>().ToDictionary(k => k, k => (IReadOnlyList<string>)rows.Where(r => r.Kind == k).Select(r => r.Text).ToList());
    }

    /// <summary>Replaces one kind's checklist with <paramref name="lines"/> (blank lines ignored).</summary>
    public async Task<ServiceResult<IReadOnlyList<string>>> SaveAsync(AreaKind kind, IEnumerable<string> lines, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return ServiceResult<IReadOnlyList<string>>.Forbidden(L["Only an administrator edits the safety checklists."]);
        }
        var items = lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var errors = new ValidationErrors();
        foreach (var (line, i) in items.Select((l, i) => (l, i)).Where(x => x.l.Length > ChecklistItemTemplate.TextMaxLength))
        {
            errors.Add("lines", L["Line {0} is {1} characters; keep each check under {2}.", i + 1, line.Length, ChecklistItemTemplate.TextMaxLength]);
        }
        foreach (var i in items.Select((l, i) => (l, i)).Where(x => x.l.Contains('\0')).Select(x => x.i))
        {
            errors.Add("lines", L["Line {0} contains a null character (\\0): remove it.", i + 1]);
        }
        if (items.Count > MaxLines)
        {
            errors.Add("lines", L["{0} checks is too many for one place; keep it to {1}.", items.Count, MaxLines]);
        }
        if (items.Count != items.Distinct(StringComparer.CurrentCultureIgnoreCase).Count())
        {
            errors.Add("lines", L["A check appears twice."]);
        }
        if (errors.Any)
        {
            return ServiceResult<IReadOnlyList<string>>.Invalid(errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The page's roles may be stale (a demoted administrator): the database decides.
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<IReadOnlyList<string>>.Forbidden(L["Only an administrator edits the safety checklists."]);
        }
        await db.ChecklistItems.Where(i => i.Kind == kind).ExecuteDeleteAsync(ct);
        db.ChecklistItems.AddRange(items.Select((text, i) => new ChecklistItemTemplate { Kind = kind, Text = text, SortOrder = i }));
        audit.Stage(db, Audit.AuditEvent.By(actor, Audit.AuditKind.ChecklistEdited, $"Checklist {kind}",
            items.Count == 0 ? "emptied" : $"{items.Count} check(s): {string.Join(" | ", items)}"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ServiceResult<IReadOnlyList<string>>.Ok(items);
    }
}
