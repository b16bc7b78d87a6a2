using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Audit;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Services;

/// <summary>One-time password links (an admin's reset, a new account's first sign-in) and changing one's own password.</summary>
public sealed class AccountLinkTests : IAsyncLifetime
{
    private const string NewPassword = "Fresh-Start-2027";

    private TestData _data = default!;
    private AccountLinks _links = default!;
    private Actor _admin = default!;
    private Actor _staff = default!;

    public async Task InitializeAsync()
    {
        _data = await TestData.CreateAsync();
        _links = _data.Get<AccountLinks>();
        _admin = await _data.ActorAsync("admin");
        _staff = await _data.ActorAsync("staff2");
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<string> ResetTokenAsync(string userId)
    {
        var made = await _links.MakeResetLinkAsync(userId, _admin);
        Assert.True(made.IsOk, made.Describe());
        Assert.False(made.Value!.Emailed);
        return TokenOf(made.Value.Url!);
    }

    private static string TokenOf(string url)
    {
        var uri = new Uri(url);
        Assert.Equal(AccountLinks.PagePath, uri.AbsolutePath);
        return Uri.UnescapeDataString(uri.Query.TrimStart('?').Split('=', 2)[1]);
    }

    private Task<ServiceResult<LinkCheck>> UseAsync(string token, string password = NewPassword) =>
        _links.SetPasswordAsync(new SetPasswordRequest(token, password, password), "192.0.2.80");

    private async Task<bool> PasswordWorksAsync(string userId, string password)
    {
        await using var scope = _data.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await users.CheckPasswordAsync((await users.FindByIdAsync(userId))!, password);
    }

    private Task<string?> StampAsync(string userId) =>
        _data.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync());

    [Fact]
    public async Task ResetLink_WorksOnce_TheSecondUseSaysWhenItWasUsed()
    {
        var token = await ResetTokenAsync(_staff.UserId);
        Assert.Equal(LinkState.Valid, (await _links.CheckAsync(token)).State);

        var first = await UseAsync(token);
        _data.Time.Advance(TimeSpan.FromHours(1));
        var second = await UseAsync(token, "Another-Try-2027");

        Assert.True(first.IsOk, first.Describe());
        Assert.True(await PasswordWorksAsync(_staff.UserId, NewPassword));
        Assert.False(await PasswordWorksAsync(_staff.UserId, TestData.Password));
        Assert.Equal(ResultKind.Conflict, second.Kind);
        // The fake clock starts on Tuesday 24 Nov 2026, 10:00 at the school (Asia/Shanghai).
        Assert.Equal("This link was already used on 24 Nov 2026 at 10:00. Ask the office for a new one.", second.Message);
        Assert.False(await PasswordWorksAsync(_staff.UserId, "Another-Try-2027"));
        Assert.Equal(LinkState.Used, (await _links.CheckAsync(token)).State);
    }

    [Fact]
    public async Task ResetLink_ExpiresAfter24Hours()
    {
        var token = await ResetTokenAsync(_staff.UserId);

        _data.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1));
        Assert.Equal(LinkState.Valid, (await _links.CheckAsync(token)).State);
        _data.Time.Advance(TimeSpan.FromMinutes(1));
        var late = await UseAsync(token);

        Assert.Equal(ResultKind.Conflict, late.Kind);
        Assert.Equal("This link expired on 25 Nov 2026 at 10:00. Ask the office for a new one.", late.Message);
        Assert.True(await PasswordWorksAsync(_staff.UserId, TestData.Password));
    }

    [Fact]
    public async Task ANewerLink_VoidsTheOlderUnusedOne()
    {
        var older = await ResetTokenAsync(_staff.UserId);
        _data.Time.Advance(TimeSpan.FromMinutes(5));
        var newer = await ResetTokenAsync(_staff.UserId);

        var oldUse = await UseAsync(older);
        var newUse = await UseAsync(newer);

        Assert.Equal(ResultKind.Conflict, oldUse.Kind);
        Assert.StartsWith("This link was withdrawn on 24 Nov 2026 at 10:05: a newer one was made", oldUse.Message);
        Assert.True(newUse.IsOk, newUse.Describe());
    }

    [Fact]
    public async Task ADeactivatedAccount_CannotUseItsLink_NorGetANewOne()
    {
        var token = await ResetTokenAsync(_staff.UserId);
        Assert.True((await _data.Get<StaffAdminService>().SetActiveAsync(_staff.UserId, false, _admin)).IsOk);

        var used = await UseAsync(token);
        var another = await _links.MakeResetLinkAsync(_staff.UserId, _admin);

        Assert.Equal(ResultKind.Conflict, used.Kind);
        Assert.Equal("This account is deactivated, so its link cannot be used. Ask the office.", used.Message);
        Assert.Equal(ResultKind.Conflict, another.Kind);
        Assert.False(await PasswordWorksAsync(_staff.UserId, NewPassword));
    }

    [Fact]
    public async Task ALinkMadeBeforeADeactivation_StaysDead_WhenTheAccountIsReactivated()
    {
        var token = await ResetTokenAsync(_staff.UserId);
        var admin = _data.Get<StaffAdminService>();
        Assert.True((await admin.SetActiveAsync(_staff.UserId, false, _admin)).IsOk);
        Assert.True((await admin.SetActiveAsync(_staff.UserId, true, _admin)).IsOk);

        var used = await UseAsync(token);

        Assert.Equal(ResultKind.Conflict, used.Kind);
        Assert.StartsWith("This link was withdrawn on", used.Message);
        Assert.False(await PasswordWorksAsync(_staff.UserId, NewPassword));
    }

    [Fact]
    public async Task TheToken_IsStoredOnlyAsItsSha256_AndNeverInTheAuditLog()
    {
        var token = await ResetTokenAsync(_staff.UserId);
        Assert.True((await UseAsync(token)).IsOk);

        var link = await _data.QueryAsync(db => db.AccountLinks.AsNoTracking().SingleAsync(l => l.UserId == _staff.UserId));
        var audit = await _data.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Kind == AuditKind.PasswordLinkMade || e.Kind == AuditKind.PasswordSetByLink).ToListAsync());

        Assert.Equal(43, token.Length); // 256 bits, base64url
        Assert.Equal(AccountLinks.Hash(token), link.TokenHash);
        Assert.NotEqual(token, link.TokenHash);
        Assert.Equal((AccountLinkPurpose.PasswordReset, _admin.UserId, _admin.Name), (link.Purpose, link.CreatedByUserId, link.CreatedByName));
        Assert.Equal(link.CreatedAt + TimeSpan.FromHours(24), link.ExpiresAt);
        Assert.NotNull(link.UsedAt);
        Assert.Equal([AuditKind.PasswordLinkMade, AuditKind.PasswordSetByLink], audit.OrderBy(e => e.Id).Select(e => e.Kind));
        Assert.All(audit, e => Assert.DoesNotContain(token, $"{e.Subject} {e.Details}", StringComparison.Ordinal));
        Assert.All(audit, e => Assert.DoesNotContain(link.TokenHash, $"{e.Subject} {e.Details}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SettingThePasswordByLink_EndsEverySessionOfThePerson()
    {
        var token = await ResetTokenAsync(_staff.UserId);
        var stamp = await StampAsync(_staff.UserId);
        var ended = new List<string>();
        _data.Get<AccessGuard>().Revoked += ended.Add;

        Assert.True((await UseAsync(token)).IsOk);

        Assert.NotEqual(stamp, await StampAsync(_staff.UserId));
        Assert.Equal([_staff.UserId], ended);
    }

    [Fact]
    public async Task AWeakPassword_IsRefusedRuleByRule_AndTheLinkStaysUsable()
    {
        var token = await ResetTokenAsync(_staff.UserId);

        var weak = await _links.SetPasswordAsync(new SetPasswordRequest(token, "short", "shirt"), null);

        Assert.Equal(ResultKind.Invalid, weak.Kind);
        Assert.Equal(
        [
            "The new password must be at least 8 characters long.",
            "The new password needs a symbol such as ! # - or *.",
            "The new password needs a digit (0–9).",
            "The new password needs a capital letter (A–Z).",
        ], weak.Errors["password"]);
        Assert.Equal(["Repeat the new password exactly: the two do not match."], weak.Errors["repeatPassword"]);
        Assert.True((await UseAsync(token)).IsOk);
    }

    [Fact]
    public async Task OnlyAnAdministrator_MakesResetLinks()
    {
        var refused = await _links.MakeResetLinkAsync(_staff.UserId, await _data.ActorAsync("dispatcher"));

        Assert.Equal(ResultKind.Forbidden, refused.Kind);
        Assert.Equal(0, await _data.QueryAsync(db => db.AccountLinks.CountAsync()));
    }

    [Fact]
    public async Task UnknownLinks_SaySo()
    {
        Assert.Equal(LinkState.Unknown, (await _links.CheckAsync("not-a-token")).State);
        Assert.Equal(LinkState.Unknown, (await _links.CheckAsync(null)).State);
        var used = await UseAsync("not-a-token");
        Assert.Equal(ResultKind.Conflict, used.Kind);
        Assert.StartsWith("This link is not valid", used.Message);
    }

    [Fact]
    public async Task AnAccountWithoutAPassword_GetsAFirstSignInLink_AndCannotSignInUntilItIsUsed()
    {
        var created = await _data.Get<StaffAdminService>().CreateAsync(
            new NewAccount("newbie@demo.example", "Nina New", null, [Roles.Staff], Password: null), _admin);

        Assert.True(created.IsOk, created.Describe());
        var account = created.Value!;
        var link = account.FirstSignInLink!;
        Assert.Equal((AccountLinkPurpose.FirstSignIn, false, false), (link.Purpose, link.Emailed, account.HasPassword));
        // Accounts:FirstSignInLinkDays, 7 by default.
        Assert.Equal(_data.Time.GetUtcNow() + TimeSpan.FromDays(7), link.ExpiresAt);
        var stored = await _data.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == account.UserId));
        Assert.Null(stored.PasswordHash);
        Assert.False(await PasswordWorksAsync(account.UserId, ""));

        var check = await _links.CheckAsync(TokenOf(link.Url!));
        Assert.Equal((LinkState.Valid, AccountLinkPurpose.FirstSignIn, "Nina New"), (check.State, check.Purpose, check.Name));
        _data.Time.Advance(TimeSpan.FromDays(3));
        Assert.True((await UseAsync(TokenOf(link.Url!))).IsOk);

        Assert.True(await PasswordWorksAsync(account.UserId, NewPassword));
        Assert.True((await _data.Get<StaffAdminService>().ListAsync()).Single(a => a.UserId == account.UserId).HasPassword);
    }

    [Fact]
    public async Task AnAccountWithATypedPassword_GetsNoLink()
    {
        var created = await _data.Get<StaffAdminService>().CreateAsync(
            new NewAccount("scripted@demo.example", "Sam Script", null, [Roles.Staff], TestData.Password), _admin);

        Assert.True(created.IsOk, created.Describe());
        Assert.Null(created.Value!.FirstSignInLink);
        Assert.True(await PasswordWorksAsync(created.Value.UserId, TestData.Password));
        Assert.Equal(0, await _data.QueryAsync(db => db.AccountLinks.CountAsync()));
    }

    [Fact]
    public async Task ChangingMyPassword_EndsMySessions_ButKeepsTheCircuitItWasChangedFrom()
    {
        var me = _staff with { Address = "192.0.2.81" };
        var stamp = await StampAsync(me.UserId);
        var guard = _data.Get<AccessGuard>();
        var kept = new List<bool>();
        guard.Revoked += _ => kept.Add(guard.Keeps("this-circuit"));

        var changed = await _data.Get<PasswordChanges>().ChangeAsync(me, new ChangePasswordRequest(TestData.Password, NewPassword, NewPassword, "this-circuit"));

        Assert.True(changed.IsOk, changed.Describe());
        Assert.True(await PasswordWorksAsync(me.UserId, NewPassword));
        Assert.NotEqual(stamp, await StampAsync(me.UserId));
        Assert.Equal([true], kept);
        Assert.False(guard.Keeps("this-circuit"));
        var line = await _data.QueryAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(e => e.Kind == AuditKind.PasswordChanged));
        Assert.Equal((me.UserId, "192.0.2.81"), (line.ActorUserId, line.Address));
    }

    [Fact]
    public async Task AWrongCurrentPassword_IsRefused_AndCountsInTheSignInThrottle()
    {
        var me = _staff with { Address = "192.0.2.82" };
        var passwords = _data.Get<PasswordChanges>();
        var wrong = new ChangePasswordRequest("not-my-password", NewPassword, NewPassword);

        var first = await passwords.ChangeAsync(me, wrong);
        for (var i = 1; i < SignInThrottle.FreeFailuresPerAccount; i++)
        {
            Assert.Equal(ResultKind.Invalid, (await passwords.ChangeAsync(me, wrong)).Kind);
        }
        var throttled = await passwords.ChangeAsync(me, wrong with { CurrentPassword = TestData.Password });
        var signIn = _data.Get<SignInThrottle>().TryBegin("staff2@demo.example", "192.0.2.82");

        Assert.Equal(["Your current password is not right: type the password you signed in with."], first.Errors["currentPassword"]);
        Assert.Equal(ResultKind.TooMany, throttled.Kind);
        Assert.StartsWith("Too many wrong passwords: wait", throttled.Message);
        Assert.NotNull(signIn);
        Assert.True(await PasswordWorksAsync(me.UserId, TestData.Password));
        Assert.Equal(SignInThrottle.FreeFailuresPerAccount,
            await _data.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Kind == AuditKind.PasswordChangeFailed)));
    }

    [Fact]
    public async Task ChangingMyPassword_NamesEachFieldsProblem()
    {
        var result = await _data.Get<PasswordChanges>().ChangeAsync(_staff, new ChangePasswordRequest("", "alllowercase", "different"));

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.Equal(["Current password is required."], result.Errors["currentPassword"]);
        Assert.Equal(
        [
            "The new password needs a symbol such as ! # - or *.",
            "The new password needs a digit (0–9).",
            "The new password needs a capital letter (A–Z).",
        ], result.Errors["newPassword"]);
        Assert.Equal(["Repeat the new password exactly: the two do not match."], result.Errors["repeatPassword"]);
    }
}
