using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Components.Tests;

/// <summary>The /account password form and the one-time link's page: every refusal is a sentence under its field.</summary>
public sealed class ChangePasswordTests : DispatchComponentTest
{
    private const string NewPassword = "Fresh-Start-2027";

    [Fact]
    public async Task ChangePasswordForm_ShowsEachFailedRule_AsASentenceUnderItsField()
    {
        var me = await SignInAsync("staff1", Roles.Staff);
        // What the endpoint answers is the service's own result for these fields.
        var refused = await Data.Get<PasswordChanges>().ChangeAsync(me, new ChangePasswordRequest("", "lowercase", "lower"));
        Assert.Equal(ResultKind.Invalid, refused.Kind);
        var call = JSInterop.Setup<ChangePasswordCard.PostResult>("dispatchBoard.changePassword", _ => true);
        call.SetResult(new ChangePasswordCard.PostResult(false, 400, "Some fields are not valid",
            refused.Errors.ToDictionary(e => e.Key, e => e.Value)));
        var cut = Render<ChangePasswordCard>();

        cut.Find("input[data-testid='new-password']").Input("lowercase");
        cut.Find("input[data-testid='repeat-password']").Input("lower");
        await cut.Find("form").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Equal(["Current password is required."], Lines(cut, "currentPassword")));
        Assert.Equal(
        [
            "The new password needs a symbol such as ! # - or *.",
            "The new password needs a digit (0–9).",
            "The new password needs a capital letter (A–Z).",
        ], Lines(cut, "newPassword"));
        Assert.Equal(["Repeat the new password exactly: the two do not match."], Lines(cut, "repeatPassword"));
        Assert.Empty(cut.FindAll("[data-testid='change-password-done']"));
        var sent = Assert.Single(call.Invocations).Arguments.Single() as ChangePasswordRequest;
        Assert.Equal((null, "lowercase", "lower"), (sent!.CurrentPassword, sent.NewPassword, sent.RepeatPassword));
    }

    [Fact]
    public async Task ChangePasswordForm_Changed_SaysSo_AndClearsTheFields()
    {
        await SignInAsync("staff1", Roles.Staff);
        JSInterop.Setup<ChangePasswordCard.PostResult>("dispatchBoard.changePassword", _ => true)
            .SetResult(new ChangePasswordCard.PostResult(true, 204, null, null));
        var cut = Render<ChangePasswordCard>();

        cut.Find("input[data-testid='current-password']").Input(TestData.Password);
        cut.Find("input[data-testid='new-password']").Input(NewPassword);
        cut.Find("input[data-testid='repeat-password']").Input(NewPassword);
        await cut.Find("form").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Contains("Every other phone and computer is signed out", cut.Find("[data-testid='change-password-done']").TextContent));
        Assert.Empty(cut.FindAll("[data-field-error]"));
        Assert.Equal("", cut.Find("input[data-testid='new-password']").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task LinkPage_WeakPassword_ListsTheRules_ThenTheRightOneSetsIt_AndTheLinkIsThenUsed()
    {
        var token = await ResetTokenAsync("staff2");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/account/set-password?token={token}");
        var cut = Render<SetPassword>();
        Assert.Contains("Choose a password for Li Na", cut.Find("[data-testid='link-for']").TextContent);

        cut.Find("input[data-testid='set-password-new']").Input("short");
        cut.Find("input[data-testid='set-password-repeat']").Input("short");
        await cut.Find("form").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Contains("The new password must be at least 8 characters long.", Lines(cut, "password")));
        Assert.Equal(4, Lines(cut, "password").Count);

        cut.Find("input[data-testid='set-password-new']").Input(NewPassword);
        cut.Find("input[data-testid='set-password-repeat']").Input(NewPassword);
        await cut.Find("form").SubmitAsync();

        cut.WaitForAssertion(() => Assert.Contains("Your password is set, Li Na.", cut.Find("[data-testid='set-password-done']").TextContent));
        var again = Render<SetPassword>();
        Assert.Equal("This link was already used on 24 Nov 2026 at 10:00. Ask the office for a new one.",
            again.Find("[data-testid='link-problem']").TextContent.Trim());
        Assert.Empty(again.FindAll("form"));
    }

    private async Task<string> ResetTokenAsync(string who)
    {
        var admin = await Data.ActorAsync("admin");
        var made = await Data.Get<AccountLinks>().MakeResetLinkAsync((await Data.ActorAsync(who)).UserId, admin);
        Assert.True(made.IsOk, made.Describe());
        return new Uri(made.Value!.Url!).Query.TrimStart('?').Split('=', 2)[1];
    }

    private static List<string> Lines<T>(IRenderedComponent<T> cut, string field) where T : IComponent =>
        cut.FindAll($"[data-field-error='{field}']").Select(e => e.TextContent.Trim()).ToList();
}
