using System.Collections.Frozen;
using DispatchBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Web.Areas;

public sealed record AreaInfo(
    int Id,
    string Code,
    string Name,
    int? ParentId,
    string? ParentCode,
    AreaLevel Level,
    AreaKind Kind,
    bool IsRetired,
    string Path,
    string? ParentPath,
    int SortOrder,
    int Depth,
    int? OwnerId,
    int? BackupId,
    int? EffectiveOwnerId,
    int? EffectiveBackupId,
    bool IsTeachingRoom = false);

/// <summary>
/// The campus tree, read once and kept: a school has hundreds of areas that change a few times a term, while every
/// ticket event needs an area's name and path. Whoever changes areas calls <see cref="Invalidate"/>.
/// </summary>
public sealed class AreaDirectory(IDbContextFactory<DispatchDbContext> dbFactory)
{
    private const string PathSeparator = " › ";
    private volatile Snapshot? _snapshot;
    private readonly SemaphoreSlim _loading = new(1, 1);

    public sealed record Snapshot(FrozenDictionary<int, AreaInfo> ById, FrozenDictionary<string, AreaInfo> ByCode, IReadOnlyList<AreaInfo> InTreeOrder);

    public void Invalidate() => _snapshot = null;

    public async Task<Snapshot> GetAsync(CancellationToken ct = default)
    {
        if (_snapshot is { } current)
        {
            return current;
        }
        await _loading.WaitAsync(ct);
        try
        {
            return _snapshot ??= await LoadAsync(ct);
        }
        finally
        {
            _loading.Release();
        }
    }

    public async Task<AreaInfo?> FindByCodeAsync(string? code, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }
        var snapshot = await GetAsync(ct);
        return snapshot.ByCode.GetValueOrDefault(code.Trim());
    }

    private async Task<Snapshot> LoadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Areas.AsNoTracking().ToListAsync(ct);
        var byId = rows.ToDictionary(a => a.Id);
        var children = rows.ToLookup(a => a.ParentId);
        var ordered = new List<AreaInfo>(rows.Count);

        // Owner and backup are inherited separately: a room without its own backup is covered by its floor's backup.
        void Walk(int? parentId, string? parentPath, string? parentCode, int depth, int? owner, int? backup)
        {
            foreach (var area in children[parentId].OrderBy(a => a.SortOrder).ThenBy(a => a.Name, StringComparer.CurrentCulture))
            {
                // The campus itself is implied everywhere; paths start at the building or outdoor area.
                var path = parentPath is null ? area.Name : parentPath + PathSeparator + area.Name;
                var shownParent = area.Level == AreaLevel.Campus ? null : parentPath;
                var effectiveOwner = area.OwnerId ?? owner;
                var effectiveBackup = area.BackupId ?? backup;
                ordered.Add(new AreaInfo(area.Id, area.Code, area.Name, area.ParentId, parentCode, area.Level, area.Kind,
                    area.IsRetired, shownParent is null ? area.Name : path, shownParent, area.SortOrder, depth,
                    area.OwnerId, area.BackupId, effectiveOwner, effectiveBackup, area.IsTeachingRoom));
                Walk(area.Id, area.Level == AreaLevel.Campus ? null : path, area.Code, depth + 1, effectiveOwner, effectiveBackup);
            }
        }

        Walk(null, null, null, 0, null, null);
        // Orphans cannot happen with the foreign key, but a cycle would hide rows: list whatever was not reached.
        var reached = ordered.Select(o => o.Id).ToHashSet();
        foreach (var area in rows.Where(a => !reached.Contains(a.Id)))
        {
            ordered.Add(new AreaInfo(area.Id, area.Code, area.Name, area.ParentId,
                area.ParentId is { } p && byId.TryGetValue(p, out var parent) ? parent.Code : null,
                area.Level, area.Kind, area.IsRetired, area.Name, null, area.SortOrder, 0, area.OwnerId, area.BackupId,
                area.OwnerId, area.BackupId, area.IsTeachingRoom));
        }

        return new Snapshot(
            ordered.ToFrozenDictionary(a => a.Id),
            ordered.ToFrozenDictionary(a => a.Code, StringComparer.OrdinalIgnoreCase),
            ordered);
    }
}
