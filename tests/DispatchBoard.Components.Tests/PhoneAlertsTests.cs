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

    /// <summary>Listening: what is published from now on reaches it.</summary>
    private static void WaitUntilLive(IRenderedComponent<PhoneAlerts> cut) =>
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid='phone-alerts']").GetAttribute("data-loaded")), TimeSpan.FromSeconds(5));

    // Counted on the renderer's thread, where the component calls the browser: counting from this one while it records a
    // call failed now and then ("Collection was modified").
    private Task<int> PlayAlertCallsAsync() =>
        Renderer.Dispatcher.InvokeAsync(() => JSInterop.Invocations.Count(i => i.Identifier == "dispatchBoard.playAlert"));

    /// <summary>
    /// Polls with a deadline: playing the sound re-renders nothing (when it is allowed), so a render-driven wait would
    /// not look again. Events are handled in order, so the count once the last one played says whether earlier ones rang.
    /// </summary>
    private async Task PlayedAsync(int times)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (await PlayAlertCallsAsync() < times)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"The alert played {await PlayAlertCallsAsync()} times, not {times}.");
            await Task.Delay(20);
        }
        Assert.Equal(times, await PlayAlertCallsAsync());
    }

    [Fact]
    public async Task AReportRoutedToMe_RingsAndVibrates_OthersAlertsAndRemindersDoNot()
    {
        var me = await SignInAsync("staff2", Roles.Staff);
        var other = await Data.ActorAsync("staff1");
        JSInterop.Setup<bool>("dispatchBoard.soundEnabled").SetResult(true);
        JSInterop.Setup<bool>("dispatchBoard.playAlert", _ => true).SetResult(true);
        var cut = Render<PhoneAlerts>();
        WaitUntilLive(cut);
        var notifier = Data.Get<DispatchNotifier>();

        notifier.Publish(Alert(other.UserId, NotificationKind.Routed));
        notifier.Publish(Alert(me.UserId, NotificationKind.Reminder));
        notifier.Publish(Alert(me.UserId, NotificationKind.Routed));

        await PlayedAsync(times: 1);
        var options = JsonSerializer.SerializeToElement(JSInterop.Invocations.Single(i => i.Identifier == "dispatchBoard.playAlert").Arguments[0]);
        Assert.True(options.GetProperty("vibrate").GetBoolean());

        notifier.Publish(Alert(me.UserId, NotificationKind.Overdue));
        await PlayedAsync(times: 2);
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
        WaitUntilLive(cut);

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
        // A staff member is offered Claim, not what only the dispatcher may do (the service would refuse it).
        var actions = dialogs.FindAll(".mud-dialog-actions button").Select(b => b.TextContent.Trim()).ToList();
        Assert.Contains("Claim", actions);
        Assert.DoesNotContain("Cancel ticket", actions);
    }

    [Fact]
    public async Task ALinkToATicketThatIsNotThere_SaysSo_InsteadOfWaitingForever()
    {
        await SignInAsync("staff2", Roles.Staff);
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        Render<MudBlazor.MudPopoverProvider>();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/my?ticket=987654");

        Render<MyTickets>();

        dialogs.WaitForAssertion(() => Assert.Contains("There is no ticket #987654.", dialogs.Find("[data-testid='ticket-not-found']").TextContent));
    }

    [Fact]
    public async Task AMangledTicketLink_OpensThePageAsUsual()
    {
        await SignInAsync("staff2", Roles.Staff);
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        Render<MudBlazor.MudPopoverProvider>();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/my?ticket=abc");

        var cut = Render<MyTickets>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid='waiting']")));
        Assert.Empty(dialogs.FindAll(".mud-dialog"));
    }
}
