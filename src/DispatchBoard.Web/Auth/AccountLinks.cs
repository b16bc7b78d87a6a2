using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Languages;
using DispatchBoard.Web.Reminders;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static DispatchBoard.Web.Auth.AuthText;

namespace DispatchBoard.Web.Auth;

/// <summary>
/// A link just made. <see cref="Url"/> is the only copy of the token: shown once to the administrator when it was not
/// e-mailed (no SMTP, or the e-mail failed), null when it went to the person's inbox.
/// </summary>
public sealed record MadeLink(string UserId, string Name, string Email, AccountLinkPurpose Purpose, DateTimeOffset ExpiresAt, bool Emailed, string? Url, string? EmailProblem);

public enum LinkState
{
    Valid,
    Unknown,
    Used,
    Expired,
    Voided,
    Deactivated,
}

/// <summary>What an opened link is: valid (for whom) or, in a sentence, why not.</summary>
public sealed record LinkCheck(LinkState State, AccountLinkPurpose Purpose, string? Name, string? Email, string Message)
{
    public bool IsValid => State == LinkState.Valid;
}

public sealed record SetPasswordRequest(string? Token, string? Password, string? RepeatPassword);

/// <summary>
/// One-time links to set a password: an administrator's "Reset password" and a new account's first sign-in. The token
/// is 256 random bits; only its SHA-256 is stored. Using a link sets the password (Identity's rules), marks the link used
/// (a conditional update: of two uses at once, one wins) and ends every session the person had.
/// </summary>
public sealed class AccountLinks(
    IServiceScopeFactory scopes,
    IDbContextFactory<DispatchDbContext> dbFactory,
    AccessGuard guard,
    AuditLog audit,
    ReminderMailer mailer,
    IOptions<AccountLinkOptions> options,
    IOptions<SchoolOptions> school,
    RecipientLanguages languages,
    SchoolClock clock,
    ILogger<AccountLinks> logger)
{
    public const string PagePath = "/account/set-password";

    public async Task<ServiceResult<MadeLink>> MakeResetLinkAsync(string userId, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
        {
            return ServiceResult<MadeLink>.Forbidden(L["Only an administrator resets passwords."]);
        }
        MadeLink made;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await db.IsActiveAdminAsync(actor, ct))
            {
                return ServiceResult<MadeLink>.Forbidden(L["Only an administrator resets passwords."]);
            }
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null)
            {
                return ServiceResult<MadeLink>.NotFound(L["There is no such account."]);
            }
            if (!user.IsActive)
            {
                return ServiceResult<MadeLink>.Conflict(L["{0}'s account is deactivated: reactivate it first, then make a reset link.", user.DisplayName]);
            }
            made = await StageAsync(db, user, AccountLinkPurpose.PasswordReset, actor, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        return ServiceResult<MadeLink>.Ok(await DeliverAsync(made, actor, ct));
    }

    /// <summary>
    /// Adds a new link for <paramref name="user"/> to <paramref name="db"/> (saved with the caller's transaction), voids
    /// the person's older unused links and stages the audit line. The returned link still carries its token in Url.
    /// </summary>
    internal async Task<MadeLink> StageAsync(DispatchDbContext db, AppUser user, AccountLinkPurpose purpose, Actor actor, CancellationToken ct)
    {
        var now = clock.UtcNow;
        await db.AccountLinks.Where(l => l.UserId == user.Id && l.UsedAt == null && l.VoidedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.VoidedAt, now), ct);
        var token = Base64UrlToken();
        var link = new AccountLink
        {
            UserId = user.Id,
            Purpose = purpose,
            TokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + options.Value.ValidityOf(purpose),
            CreatedByUserId = actor.UserId,
            CreatedByName = TextCut.Head(actor.Name, AccountLink.ByMaxLength),
        };
        db.AccountLinks.Add(link);
        var delivery = mailer.Enabled ? "e-mailed to the person" : "shown once to the administrator";
        audit.Stage(db, AuditEvent.By(actor, AuditKind.PasswordLinkMade, user.Email,
            $"{(purpose == AccountLinkPurpose.FirstSignIn ? "First-sign-in" : "Reset")} link for {user.DisplayName}, valid until {When(link.ExpiresAt)}; {delivery}"));
        return new MadeLink(user.Id, user.DisplayName, user.Email ?? "", purpose, link.ExpiresAt, Emailed: false, UrlOf(token), null);
    }

    /// <summary>After the commit: e-mails the link when SMTP is configured; otherwise (or when sending fails) it is shown once.</summary>
    internal async Task<MadeLink> DeliverAsync(MadeLink made, Actor actor, CancellationToken ct)
    {
        if (!mailer.Enabled)
        {
            return made;
        }
        try
        {
            // In the person's language (their account's, else the school's), not the administrator's who made it.
            string? culture;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                culture = await db.Users.Where(u => u.Id == made.UserId).Select(u => u.Culture).FirstOrDefaultAsync(ct);
            }
            ReminderMail mail;
            using (AppLanguages.Use(languages.Of(culture)))
            {
                mail = Mail(made);
            }
            await mailer.SendAsync(mail, ct, kind: "account_link");
            return made with { Emailed = true, Url = null };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.PasswordLinkNotEmailed(ex, made.Email);
            await audit.TryRecordAsync(AuditEvent.By(actor, AuditKind.PasswordLinkMade, made.Email,
                "The e-mail could not be sent; the link was shown once to the administrator instead"), ct);
            return made with { EmailProblem = L["The e-mail could not be sent. Give the person this link yourself."] };
        }
    }

    public async Task<LinkCheck> CheckAsync(string? token, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindAsync(db, token, ct);
        return Check(found.Link, found.User);
    }

    /// <summary>Sets the password through a link; every session of the person ends. The result names the person.</summary>
    public async Task<ServiceResult<LinkCheck>> SetPasswordAsync(SetPasswordRequest request, string? address, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DispatchDbContext>();
        var users = (DispatchUserManager)scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var (link, user) = await FindAsync(db, request.Token, ct);
        var check = Check(link, user);
        if (!check.IsValid)
        {
            return ServiceResult<LinkCheck>.Conflict(check.Message);
        }
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", L["New password is required."]);
        }
        else
        {
            foreach (var problem in await PasswordRules.CheckAsync(users, user!, request.Password, L["The new password"]))
            {
                errors.Add("password", problem);
            }
            if (request.RepeatPassword != request.Password)
            {
                errors.Add("repeatPassword", L["Repeat the new password exactly: the two do not match."]);
            }
        }
        if (errors.Any)
        {
            return ServiceResult<LinkCheck>.Invalid(errors);
        }

        var now = clock.UtcNow;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // The row count decides: a link used, voided or expired a moment ago is not used twice.
            var won = await db.AccountLinks.Where(l => l.Id == link!.Id && l.UsedAt == null && l.VoidedAt == null && l.ExpiresAt > now && l.User!.IsActive)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct) == 1;
            if (!won)
            {
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                return ServiceResult<LinkCheck>.Conflict((await CheckAsync(request.Token, ct)).Message);
            }
            var fresh = (await users.FindByIdAsync(user!.Id))!;
            var set = await users.SetPasswordAsync(fresh, request.Password!);
            if (!set.Succeeded)
            {
                await transaction.RollbackAsync(ct);
                foreach (var error in set.Errors)
                {
                    errors.Add("password", PasswordRules.Describe(error, L["The new password"], users.Options.Password));
                }
                return ServiceResult<LinkCheck>.Invalid(errors);
            }
            audit.Stage(db, new AuditEvent(AuditKind.PasswordSetByLink, user.Id, user.DisplayName, user.Email,
                $"{(link!.Purpose == AccountLinkPurpose.FirstSignIn ? "First password" : "New password")} set with the link made by {link.CreatedByName} on {When(link.CreatedAt)}; every session ended",
                address));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        guard.EndSessions(user.Id);
        return ServiceResult<LinkCheck>.Ok(check);
    }

    private static async Task<(AccountLink? Link, AppUser? User)> FindAsync(DispatchDbContext db, string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return (null, null);
        }
        var hash = Hash(token.Trim());
        var link = await db.AccountLinks.AsNoTracking().Include(l => l.User).FirstOrDefaultAsync(l => l.TokenHash == hash, ct);
        return (link, link?.User);
    }

    private LinkCheck Check(AccountLink? link, AppUser? user)
    {
        if (link is null || user is null)
        {
            return new LinkCheck(LinkState.Unknown, AccountLinkPurpose.PasswordReset, null, null,
                L["This link is not valid: it may have been cut short when it was copied. Ask the office for a new one."]);
        }
        var (state, message) = link switch
        {
            { UsedAt: { } used } => (LinkState.Used, L["This link was already used on {0}. Ask the office for a new one.", Shown(used)]),
            _ when !user.IsActive => (LinkState.Deactivated, L["This account is deactivated, so its link cannot be used. Ask the office."]),
            { VoidedAt: { } voided } => (LinkState.Voided, L["This link was withdrawn on {0}: a newer one was made, or the account was switched off meanwhile. Use the newest link you were given, or ask the office for a new one.", Shown(voided)]),
            _ when link.ExpiresAt <= clock.UtcNow => (LinkState.Expired, L["This link expired on {0}. Ask the office for a new one.", Shown(link.ExpiresAt)]),
            _ => (LinkState.Valid, L["Choose a password for {0} ({1}).", user.DisplayName, user.Email]),
        };
        return new LinkCheck(state, link.Purpose, user.DisplayName, user.Email, message);
    }

    private ReminderMail Mail(MadeLink made)
    {
        var schoolName = school.Value.Name;
        var (subject, opening) = made.Purpose == AccountLinkPurpose.FirstSignIn
            ? (L["Your DispatchBoard account at {0}", schoolName], L["An account was made for you on DispatchBoard. Choose your password with this link:"])
            : (L["Reset your DispatchBoard password"], L["The office made a link for you to set a new DispatchBoard password:"]);
        var body = $"""
            {L["Hello {0},", made.Name]}

            {opening}

            {made.Url}

            {L["The link works once, until {0}. Then sign in with your e-mail address ({1}) and the new password.", Dates.DayYearAndTime(clock.ToLocal(made.ExpiresAt)), made.Email]}
            {L["Setting it signs you out on every phone and computer."]}

            {L["If you did not expect this e-mail, tell the office."]}
            """;
        return new ReminderMail(made.Email, made.Name, subject, body, IcsAttachment: null);
    }

    private string UrlOf(string token) => $"{school.Value.PublicBaseUrl.TrimEnd('/')}{PagePath}?token={token}";

    private string When(DateTimeOffset at) => clock.ToLocal(at).ToString("d MMM yyyy 'at' HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A moment as the reader of a page writes it (<see cref="When"/> is for the stored audit line).</summary>
    private string Shown(DateTimeOffset at) => Dates.DayYearAndTime(clock.ToLocal(at));

    private static string Base64UrlToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
