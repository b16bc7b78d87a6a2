using System.Text.Json;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Components.Tests;

/// <summary>The phone rings and buzzes for what is the staff member's to take, and only for that.</summary>
public sealed class PhoneAlertsTests : DispatchComponentTest
{
    private static NotificationAdded Alert(string userId, NotificationKind kind) =>
        new(userId, new NotificationDto(Random.Shared.NextInt64(1, long.MaxValue), kind, "Lighting in Room 204", null, 7, "/my", DateTimeOffset.UtcNow, false));

    private int PlayAlertCalls() => JSInterop.Invocations.Count(i => i.Identifier == "dispatchBoard.playAlert");

    [Fact]
    public async Task AReportRoutedToMe_RingsAndVibrates_OthersAlertsAndRemindersDoNot()
    {
        var me = await SignInAsync("staff2", Roles.Staff);
        var other = await Data.ActorAsync("staff1");
        JSInterop.Setup<bool>("dispatchBoard.soundEnabled").SetResult(true);
        JSInterop.Setup<bool>("dispatchBoard.playAlert", _ => true).SetResult(true);
        var cut = Render<PhoneAlerts>();
        var notifier = Data.Get<DispatchNotifier>();

        notifier.Publish(Alert(other.UserId, NotificationKind.Routed));
        notifier.Publish(Alert(me.UserId, NotificationKind.Reminder));
        notifier.Publish(Alert(me.UserId, NotificationKind.Routed));

        cut.WaitForAssertion(() => Assert.Equal(1, PlayAlertCalls()), TimeSpan.FromSeconds(5));
        var options = JsonSerializer.SerializeToElement(JSInterop.Invocations.Single(i => i.Identifier == "dispatchBoard.playAlert").Arguments[0]);
        Assert.True(options.GetProperty("vibrate").GetBoolean());

        notifier.Publish(Alert(me.UserId, NotificationKind.Overdue));
        cut.WaitForAssertion(() => Assert.Equal(2, PlayAlertCalls()), TimeSpan.FromSeconds(5));
        Assert.Equal("on", cut.Find("[data-testid='phone-alerts']").GetAttribute("data-sound"));
    }

    [Fact]
    public async Task WhenTheBrowserBlocksSound_ThePhoneOffersTheTapThatAllowsIt()
    {
        var me = await SignInAsync("staff2", Roles.Staff);
        JSInterop.Setup<bool>("dispatchBoard.soundEnabled").SetResult(true);
        var play = JSInterop.Setup<bool>("dispatchBoard.playAlert", _ => true);
        play.SetResult(false);
        var cut = Render<PhoneAlerts>();

        Data.Get<DispatchNotifier>().Publish(Alert(me.UserId, NotificationKind.Routed));
        cut.WaitForAssertion(() => Assert.Equal("blocked", cut.Find("[data-testid='phone-alerts']").GetAttribute("data-sound")));

        play.SetResult(true);
        await cut.Find("[data-testid='allow-sound']").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("on", cut.Find("[data-testid='phone-alerts']").GetAttribute("data-sound")));
    }

    [Fact]
    public async Task MyPageOpenedFromAPushedAlert_ShowsThatTicketsDetails()
    {
        await SignInAsync("staff2", Roles.Staff);
        var reported = await Data.Get<TicketIntake>().ReportAsync(
            new ReportTicket("B101", "Plumbing", "Tap dripping onto the floor", false, null, null), TicketChannel.Web, null);
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        Render<MudBlazor.MudPopoverProvider>();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/my?ticket={reported.Value!.Id}");

        Render<MyTickets>();

        dialogs.WaitForAssertion(() => Assert.Contains("Tap dripping onto the floor", dialogs.Markup));
        Assert.Contains(TrackingCode.Display(reported.Value.TrackingCode), dialogs.Markup);
    }
}
