using System.Collections.Concurrent;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Displays.DisplaysText;

namespace DispatchBoard.Web.Displays;

public enum DisplayState
{
    WaitingForPairing,
    Paired,
    Revoked,
}

public sealed record DisplayDto(
    int Id,
    string Name,
    DisplayState State,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? PairedAt,
    DateTimeOffset? LastSeenAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    DateTimeOffset? CodeExpiresAt);

/// <summary>A display with the pairing code just issued for it: the only moment the code is known (only its hash is kept).</summary>
public sealed record IssuedCode(DisplayDto Display, string Code, DateTimeOffset ExpiresAt)
{
    public string DisplayCode => PairingCode.Display(Code);
    public string PairPath => $"/pair?code={Code}";
}

public sealed record PairedDisplay(int Id, string Name);

/// <summary>
/// Office displays and their pairing. A code is consumed by one conditional update (the row count decides who paired),
/// a new code replaces the old one, and a revoke cuts the screen's open circuit at once through the <see cref="AccessGuard"/>.
/// </summary>
public sealed class DisplayService(IDbContextFactory<DispatchDbContext> dbFactory, AccessGuard guard, DispatchNotifier notifier, AuditLog audit, TimeProvider clock)
{
    private static readonly TimeSpan SeenEvery = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<int, DateTimeOffset> _lastSeenWritten = new();

    public async Task<IReadOnlyList<DisplayDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var displays = await db.OfficeDisplays.AsNoTracking().ToListAsync(ct);
        var now = clock.GetUtcNow();
        return displays
            .OrderBy(d => d.RevokedAt is not null).ThenByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Select(d => ToDto(d, now)).ToList();
    }

    public async Task<ServiceResult<IssuedCode>> CreateAsync(string? name, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return ServiceResult<IssuedCode>.Forbidden(L["Only an administrator can add office displays."]);
        }
        var errors = new ValidationErrors();
        var trimmed = errors.Text("name", L["Name"], name, OfficeDisplay.NameMaxLength, required: true);
        if (errors.Any)
        {
            return ServiceResult<IssuedCode>.Invalid(errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The page's roles may be stale (a demoted administrator): the database decides.
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<IssuedCode>.Forbidden(L["Only an administrator can add office displays."]);
        }
        if (await NameTakenAsync(db, trimmed!, ct))
        {
            return Duplicate(trimmed!);
        }
        var now = clock.GetUtcNow();
        var code = PairingCode.New();
        var display = new OfficeDisplay
        {
            Name = trimmed!,
            CreatedAt = now,
            CreatedBy = Truncate(actor.Name),
            PairingCodeHash = PairingCode.Hash(code),
            PairingCodeExpiresAt = WholeMilliseconds(now + PairingCode.ValidFor),
        };
        db.OfficeDisplays.Add(display);
        audit.Stage(db, AuditEvent.By(actor, AuditKind.PairingCodeIssued, $"Display {trimmed}", "New display; its first pairing code"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // The unique index on names of displays in use: someone added the same name a moment ago.
            return Duplicate(trimmed!);
        }
        notifier.Publish(new DisplaysChanged(display.Id));
        return ServiceResult<IssuedCode>.Ok(new IssuedCode(ToDto(display, now), code, display.PairingCodeExpiresAt.Value));
    }

    /// <summary>
    /// A fresh code for a display not paired yet (the old code stops working). A paired display is one screen: a code
    /// for it would sign in a second screen while the first stays signed in, so a replaced TV is a revoke and a new display.
    /// </summary>
    public async Task<ServiceResult<IssuedCode>> NewCodeAsync(int displayId, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return ServiceResult<IssuedCode>.Forbidden(L["Only an administrator can pair office displays."]);
        }
        var now = clock.GetUtcNow();
        var code = PairingCode.New();
        var hash = PairingCode.Hash(code);
        var expires = WholeMilliseconds(now + PairingCode.ValidFor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The page's roles may be stale (a demoted administrator): the database decides.
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<IssuedCode>.Forbidden(L["Only an administrator can pair office displays."]);
        }
        var updated = await db.OfficeDisplays.Where(d => d.Id == displayId && d.RevokedAt == null && d.PairedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.PairingCodeHash, hash)
                .SetProperty(d => d.PairingCodeExpiresAt, expires)
                .SetProperty(d => d.PairingCodeUsedAt, (DateTimeOffset?)null), ct);
        if (updated == 0)
        {
            var existing = await db.OfficeDisplays.AsNoTracking().Where(d => d.Id == displayId)
                .Select(d => new { d.RevokedAt, d.PairedAt }).FirstOrDefaultAsync(ct);
            return existing switch
            {
                null => ServiceResult<IssuedCode>.NotFound(L["There is no such display."]),
                { RevokedAt: not null } => ServiceResult<IssuedCode>.Conflict(L["This display has been revoked: add a new display instead."]),
                _ => ServiceResult<IssuedCode>.Conflict(
                    L["This display is paired with a screen. To use another screen, revoke this display and add a new one."]),
            };
        }
        var display = await db.OfficeDisplays.AsNoTracking().SingleAsync(d => d.Id == displayId, ct);
        await audit.RecordAsync(AuditEvent.By(actor, AuditKind.PairingCodeIssued, $"Display {display.Name}", "A new pairing code (the old one stops working)"), ct);
        notifier.Publish(new DisplaysChanged(displayId));
        return ServiceResult<IssuedCode>.Ok(new IssuedCode(ToDto(display, now), code, expires));
    }

    /// <summary>Ends the display's pairing for good: its screen is cut off at once, and its codes stop working.</summary>
    public async Task<ServiceResult<DisplayDto>> RevokeAsync(int displayId, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return ServiceResult<DisplayDto>.Forbidden(L["Only an administrator can revoke office displays."]);
        }
        var now = clock.GetUtcNow();
        var by = Truncate(actor.Name);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The page's roles may be stale (a demoted administrator): the database decides.
        if (!await db.IsActiveAdminAsync(actor, ct))
        {
            return ServiceResult<DisplayDto>.Forbidden(L["Only an administrator can revoke office displays."]);
        }
        var updated = await db.OfficeDisplays.Where(d => d.Id == displayId && d.RevokedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.RevokedAt, now)
                .SetProperty(d => d.RevokedBy, by)
                .SetProperty(d => d.PairingCodeHash, (string?)null)
                .SetProperty(d => d.PairingCodeExpiresAt, (DateTimeOffset?)null), ct);
        var display = await db.OfficeDisplays.AsNoTracking().SingleOrDefaultAsync(d => d.Id == displayId, ct);
        if (display is null)
        {
            return ServiceResult<DisplayDto>.NotFound(L["There is no such display."]);
        }
        if (updated == 0)
        {
            return ServiceResult<DisplayDto>.Conflict(L["{0} was already revoked.", display.Name]);
        }
        guard.Revoke(DisplayPrincipal.UserId(displayId));
        await audit.RecordAsync(AuditEvent.By(actor, AuditKind.DisplayRevoked, $"Display {display.Name}"), ct);
        notifier.Publish(new DisplaysChanged(displayId));
        return ServiceResult<DisplayDto>.Ok(ToDto(display, now));
    }

    /// <summary>
    /// Pairs the screen that typed <paramref name="code"/>. One conditional update consumes the code: of two screens
    /// entering it at once exactly one is paired; the refusals say in a sentence what to do.
    /// </summary>
    public Task<ServiceResult<PairedDisplay>> PairAsync(string? code, CancellationToken ct = default) => PairAsync(code, null, ct);

    /// <inheritdoc cref="PairAsync(string?, CancellationToken)"/>
    /// <param name="address">The screen's client address, for the audit log.</param>
    public async Task<ServiceResult<PairedDisplay>> PairAsync(string? code, string? address, CancellationToken ct)
    {
        var normalized = PairingCode.Normalize(code);
        if (normalized is null)
        {
            var errors = new ValidationErrors();
            errors.Add("code", string.IsNullOrWhiteSpace(code)
                ? L["Type the pairing code shown on the administrator's screen."]
                : L["A pairing code has {0} letters and digits, like ACEF-3479: check it and type it again.", PairingCode.Length]);
            return ServiceResult<PairedDisplay>.Invalid(errors);
        }
        var hash = PairingCode.Hash(normalized);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var won = await db.OfficeDisplays
            .Where(d => d.PairingCodeHash == hash && d.PairingCodeUsedAt == null && d.RevokedAt == null && d.PairingCodeExpiresAt > now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.PairingCodeUsedAt, now)
                .SetProperty(d => d.PairedAt, now)
                .SetProperty(d => d.LastSeenAt, now), ct) == 1;
        var display = await db.OfficeDisplays.AsNoTracking()
            .Where(d => d.PairingCodeHash == hash)
            .OrderByDescending(d => d.PairingCodeUsedAt == now)
            .Select(d => new { d.Id, d.Name, d.PairingCodeUsedAt, d.PairingCodeExpiresAt, d.RevokedAt })
            .FirstOrDefaultAsync(ct);
        if (won && display is not null)
        {
            _lastSeenWritten[display.Id] = now;
            await audit.RecordAsync(AuditEvent.Anonymous(AuditKind.DisplayPaired, $"Display {display.Name}", "A screen entered the pairing code", address), ct);
            notifier.Publish(new DisplaysChanged(display.Id));
            return ServiceResult<PairedDisplay>.Ok(new PairedDisplay(display.Id, display.Name));
        }
        return display switch
        {
            null => ServiceResult<PairedDisplay>.NotFound(
                L["This code is not right, or it was replaced by a newer one: check it, or ask the administrator for a new one."]),
            { PairingCodeUsedAt: not null } => ServiceResult<PairedDisplay>.Conflict(
                L["This code has already been used: ask the administrator for a new one."]),
            _ => ServiceResult<PairedDisplay>.Conflict(L["This code has expired: ask the administrator for a new one."]),
        };
    }

    /// <summary>Notes that a paired screen is in use; written at most every few minutes, so it costs next to nothing.</summary>
    public async Task SeenAsync(int displayId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (_lastSeenWritten.TryGetValue(displayId, out var last) && now - last < SeenEvery)
        {
            return;
        }
        _lastSeenWritten[displayId] = now;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.OfficeDisplays.Where(d => d.Id == displayId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastSeenAt, now), ct);
    }

    private static async Task<bool> NameTakenAsync(DispatchDbContext db, string name, CancellationToken ct)
    {
        var lower = name.ToLowerInvariant();
        return await db.OfficeDisplays.AnyAsync(d => d.RevokedAt == null && d.Name.ToLower() == lower, ct);
    }

    private static ServiceResult<IssuedCode> Duplicate(string name)
    {
        var errors = new ValidationErrors();
        errors.Add("name", L["There is already a display called \"{0}\": choose another name, or revoke that one first.", name]);
        return ServiceResult<IssuedCode>.Invalid(errors);
    }

    // As the database keeps it, so the expiry a page holds equals the one it reads back.
    private static DateTimeOffset WholeMilliseconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, t.Offset);

    private static string Truncate(string name) => TextCut.Head(name, OfficeDisplay.ByMaxLength);

    private static DisplayDto ToDto(OfficeDisplay d, DateTimeOffset now) => new(
        d.Id, d.Name,
        d.RevokedAt is not null ? DisplayState.Revoked : d.PairedAt is not null ? DisplayState.Paired : DisplayState.WaitingForPairing,
        d.CreatedAt, d.CreatedBy, d.PairedAt, d.LastSeenAt, d.RevokedAt, d.RevokedBy,
        d.RevokedAt is null && d.PairingCodeUsedAt is null && d.PairingCodeExpiresAt > now ? d.PairingCodeExpiresAt : null);
}
